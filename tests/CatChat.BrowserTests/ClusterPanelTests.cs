using CatChat.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatChat.BrowserTests;

/// <summary>The dashboard of one node of a two-node cluster: the servers, their users, and the link's state.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ClusterPanelTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheDashboardShowsEveryServerWithItsUsersAndWhenTheChatSplits()
    {
        await using var cluster = await ChatCluster.StartAsync();
        await using var alice = await cluster.Nodes[0].ConnectAsync("alice");
        await using var bob = await cluster.Nodes[1].ConnectAsync("bob");
        await using var dashboard = await DashboardPage.OpenAsync(browser.Browser, cluster.Nodes[0], nameof(TheDashboardShowsEveryServerWithItsUsersAndWhenTheChatSplits));
        await dashboard.SignInUntilLiveAsync();
        var panel = dashboard.Page.Locator("#cluster");

        await Expect(panel.Locator("#cluster-state")).ToHaveTextAsync("Whole");
        await Expect(panel.Locator("tr[data-node='a']")).ToContainTextAsync("a (this one)");
        await Expect(panel.Locator("tr[data-node='b'] td.numeric")).ToHaveTextAsync("1");
        await Expect(dashboard.UserRow("bob").Locator("td.server")).ToHaveTextAsync("b");
        await Expect(dashboard.UserRow("alice").Locator("td.server")).ToHaveTextAsync("a");
        await dashboard.ScreenshotAsync("whole");

        await cluster.Redis.StopAsync();

        await Expect(panel.Locator("#cluster-state")).ToHaveTextAsync("Split: this server chats alone");
        await Expect(panel.Locator("tr[data-node='b']")).ToHaveCountAsync(0);
        await dashboard.ScreenshotAsync("split");
        dashboard.AssertNothingWentWrong();
    }

    [Fact]
    public async Task ASingleServerShowsNoClusterPanelAndNoServerColumn()
    {
        await using var server = await ChatServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var dashboard = await DashboardPage.OpenAsync(browser.Browser, server, nameof(ASingleServerShowsNoClusterPanelAndNoServerColumn));
        await dashboard.SignInUntilLiveAsync();

        await Expect(dashboard.UserRow("alice")).ToBeVisibleAsync();
        await Expect(dashboard.Page.Locator("#cluster")).ToBeHiddenAsync();
        await Expect(dashboard.UserRow("alice").Locator("td.server")).ToBeHiddenAsync();
        dashboard.AssertNothingWentWrong();
    }
}
