using System.Runtime.CompilerServices;
using CatChat.Testing;
using static Microsoft.Playwright.Assertions;

namespace CatChat.BrowserTests;

/// <summary>Deleting a line from the web chat page: only one's own is offered; every page and IRC client that follows redactions is told.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WebChatRedactionTests(BrowserFixture browser)
{
    [Fact]
    public async Task AVisitorDeletesTheirOwnLineAndEveryPageAndIrcClientThatFollowsRedactionsIsTold()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var dave = await server.ConnectIrcAsync("dave", "message-tags", "echo-message", "draft/message-redaction");
        await dave.JoinAsync("#lobby");
        await using var alice = await OpenAsync(server, "alice");
        await using var bob = await OpenAsync(server, "bob");
        await alice.JoinAsync("alice");
        await bob.JoinAsync("bob");

        await alice.SendAsync("a line to keep");
        await alice.SendAsync("a line to take back");
        var said = await dave.WaitForLineAsync(":alice!web@web PRIVMSG #lobby :a line to take back");
        var id = IrcTestClient.Tag(said, "msgid");
        await bob.SendAsync("bob's own line");
        var taken = alice.Lines.Filter(new() { HasText = "a line to take back" });
        var bobsOnAlicesPage = alice.Lines.Filter(new() { HasText = "bob's own line" });
        await bobsOnAlicesPage.WaitForAsync();

        // Only one's own lines have a delete button.
        await Expect(taken.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Delete this message" })).ToHaveCountAsync(1);
        await Expect(bobsOnAlicesPage.GetByRole(Microsoft.Playwright.AriaRole.Button)).ToHaveCountAsync(0);

        await taken.HoverAsync();
        await taken.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Delete this message" }).ClickAsync();

        await dave.WaitForLineAsync($":alice!web@web REDACT #lobby {id}");
        foreach (var page in new[] { alice, bob })
        {
            await Expect(page.Lines.Filter(new() { HasText = "(message deleted)" })).ToHaveCountAsync(1);
            await Expect(page.Lines.Filter(new() { HasText = "a line to take back" })).ToHaveCountAsync(0);
            await Expect(page.Lines.Filter(new() { HasText = "a line to keep" })).ToHaveCountAsync(1);
            page.AssertNothingWentWrong();
        }

        // Typed: /undo takes back one's last line still shown.
        await alice.SendAsync("/undo");
        await dave.WaitForLineAsync(line => line.Contains(":alice!web@web REDACT #lobby ", StringComparison.Ordinal) && !line.EndsWith(id!, StringComparison.Ordinal), "the second REDACT");
        await Expect(bob.Lines.Filter(new() { HasText = "a line to keep" })).ToHaveCountAsync(0);
        await Expect(bob.Lines.Filter(new() { HasText = "(message deleted)" })).ToHaveCountAsync(2);

        // A page opened now is shown the room's recent lines without them.
        await using var carol = await OpenAsync(server, "carol");
        await carol.JoinAsync("carol");
        await carol.Lines.Filter(new() { HasText = "bob's own line" }).WaitForAsync();
        await Expect(carol.Lines.Filter(new() { HasText = "a line to take back" })).ToHaveCountAsync(0);
        await Expect(carol.Lines.Filter(new() { HasText = "a line to keep" })).ToHaveCountAsync(0);
    }

    private async Task<WebChatPage> OpenAsync(ChatServer server, string who, [CallerMemberName] string testName = "") =>
        await WebChatPage.OpenAsync(browser.Browser, server.HttpBase, $"{testName}-{who}");
}
