using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using CatChat.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatChat.BrowserTests;

/// <summary>Deleting a chat line from the dashboard's history panel: asked once more inline, then taken back everywhere.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HistoryDeleteTests(BrowserFixture browser)
{
    private const string Rude = "<b>rude</b> line about dogs";

    [Fact]
    public async Task AnAdminDeletesALineFromTheHistoryPanelAfterAYesAndWebPagesSeeItTakenBack()
    {
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);
        await dashboard.SignInUntilLiveAsync();
        await using var wendy = await WebChatPage.OpenAsync(browser.Browser, server.HttpBase, $"{nameof(AnAdminDeletesALineFromTheHistoryPanelAfterAYesAndWebPagesSeeItTakenBack)}-wendy");
        await wendy.JoinAsync("wendy");
        await using var tabby = await server.ConnectAsync("tabby");
        await tabby.SendAsync("a kept line");
        await tabby.SendAsync(Rude);
        await wendy.Lines.Filter(new() { HasText = Rude }).WaitForAsync();

        // wendy's arrival, tabby's arrival and rename, and her two lines.
        await server.WaitUntilHistoryStoredAsync(5);
        await dashboard.SearchHistoryAsync("line");
        await Expect(dashboard.HistoryRows).ToHaveCountAsync(2);
        Assert.Equal([Rude, "a kept line"], await dashboard.HistoryTextsAsync());
        var rude = dashboard.HistoryRows.Nth(0);
        var kept = dashboard.HistoryRows.Nth(1);

        // Delete asks again in its place; No, or Escape from the keyboard, keeps the line and gives the focus back.
        await DashboardPage.DeleteLineButton(rude).ClickAsync();
        await Expect(DashboardPage.DeleteLineButton(rude)).ToHaveCountAsync(0);
        await Expect(DashboardPage.KeepLineButton(rude)).ToBeFocusedAsync();
        await DashboardPage.KeepLineButton(rude).ClickAsync();
        await Expect(DashboardPage.DeleteLineButton(rude)).ToBeFocusedAsync();
        await dashboard.Page.Keyboard.PressAsync("Enter");
        await Expect(DashboardPage.KeepLineButton(rude)).ToBeFocusedAsync();
        await dashboard.Page.Keyboard.PressAsync("Escape");
        await Expect(DashboardPage.DeleteLineButton(rude)).ToBeFocusedAsync();
        await Expect(wendy.Lines.Filter(new() { HasText = Rude })).ToHaveCountAsync(1);

        // Delete, then Yes, from the keyboard.
        await dashboard.Page.Keyboard.PressAsync("Enter");
        await dashboard.Page.Keyboard.PressAsync("Shift+Tab");
        await Expect(DashboardPage.ConfirmDeleteButton(rude)).ToBeFocusedAsync();
        await dashboard.ScreenshotAsync("history-delete-asked");
        await dashboard.Page.Keyboard.PressAsync("Enter");

        await Expect(rude.Locator(".history-text")).ToHaveTextAsync("(deleted)");
        await Expect(rude).ToHaveAttributeAsync("data-deleted", "true");
        await Expect(rude.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Expect(dashboard.HistoryStatus).ToHaveTextAsync("The line was deleted.");
        await Expect(DashboardPage.DeleteLineButton(kept)).ToHaveCountAsync(1);
        await Expect(wendy.Lines.Filter(new() { HasText = "(message deleted by an administrator)" })).ToHaveCountAsync(1);
        await Expect(wendy.Lines.Filter(new() { HasText = Rude })).ToHaveCountAsync(0);
        await Expect(wendy.Lines.Filter(new() { HasText = "a kept line" })).ToHaveCountAsync(1);
        await Expect(dashboard.History.Locator("b")).ToHaveCountAsync(0);
        await dashboard.ScreenshotAsync("history-deleted");

        await dashboard.SearchHistoryAsync("rude");
        await Expect(dashboard.HistoryEmpty).ToHaveTextAsync("No lines match “rude”.");
        dashboard.AssertNothingWentWrong();
        wendy.AssertNothingWentWrong();
    }

    [Fact]
    public async Task OnlyChatLinesCanBeDeletedAndAFailedDeletionIsShownInTheStatusLine()
    {
        await using var server = await ChatServer.StartAsync();
        await using var dashboard = await OpenAsync(server);
        await dashboard.SignInUntilLiveAsync();
        await using var tabby = await server.ConnectAsync("tabby");
        await tabby.SendAsync("deleted elsewhere first");

        // tabby's arrival and rename, and her line.
        await server.WaitUntilHistoryStoredAsync(3);
        await dashboard.SearchHistoryAsync(string.Empty);
        await Expect(dashboard.HistoryRows).ToHaveCountAsync(3);
        await Expect(dashboard.History.GetByRole(AriaRole.Button, new() { Name = "Delete this line", Exact = true })).ToHaveCountAsync(1);
        var line = dashboard.HistoryRow("deleted elsewhere first");

        // Another administrator takes it back first: the panel's Yes then finds no such line.
        using var admin = server.CreateHttpClient(admin: true);
        var id = (await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("api/history"))
            .GetProperty("lines")[0].GetProperty("messageId").GetString();
        Assert.True((await admin.PostAsync($"api/history/{id}/redact", null)).IsSuccessStatusCode);
        await DashboardPage.DeleteLineButton(line).ClickAsync();
        await DashboardPage.ConfirmDeleteButton(line).ClickAsync();

        await Expect(dashboard.HistoryStatus).ToHaveTextAsync($"No stored line has the id '{id}', nor do the recent lines of #lobby on this server.");
        await Expect(dashboard.HistoryStatus).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("message-error"));
        await Expect(DashboardPage.DeleteLineButton(line)).ToBeFocusedAsync();
        await Expect(line.Locator(".history-text")).ToHaveTextAsync("deleted elsewhere first");
        dashboard.AssertNothingWentWrong();
    }

    private Task<DashboardPage> OpenAsync(ChatServer server, [CallerMemberName] string testName = "") =>
        DashboardPage.OpenAsync(browser.Browser, server, testName);
}
