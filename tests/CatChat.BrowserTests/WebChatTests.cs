using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CatChat.Chat;
using CatChat.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CatChat.BrowserTests;

/// <summary>The web chat page in a real browser, against the real host, beside real netcat users.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WebChatTests(BrowserFixture browser)
{
    [Fact]
    public async Task TwoBrowserUsersAndANetcatUserInARoomSeeEachOthersLinesInOrder()
    {
        await using var server = await ChatServer.StartAsync("--banner", "Welcome to CatChat!\\nBe nice.");
        await using var carol = await server.ConnectAsync("carol");
        await using var alice = await OpenAsync(server, "alice");
        await using var bob = await OpenAsync(server, "bob");
        await Expect(alice.Banner).ToHaveTextAsync("Welcome to CatChat!\nBe nice.");
        await alice.JoinAsync("alice");
        await bob.JoinAsync("bob");
        await carol.WaitForLineAsync("*** bob has joined");

        await alice.SendAsync("one from alice");
        await bob.Lines.Filter(new() { HasText = "one from alice" }).WaitForAsync();
        await bob.SendAsync("two from bob");
        await carol.WaitForLineAsync("<bob> two from bob");
        await carol.SendAsync("three from carol");
        await alice.SendAsync("/me four from alice");

        string[] expected = ["one from alice", "two from bob", "three from carol", "four from alice"];
        foreach (var page in new[] { alice, bob })
        {
            await Expect(page.Lines.Filter(new() { HasText = "four from alice" })).ToHaveCountAsync(1);
            var texts = (await page.LineTextsAsync()).Where(text => expected.Contains(text)).ToList();
            Assert.Equal(expected, texts);

            // A line shows the time the server gave it (its "at", milliseconds since 1970, read as a date).
            await Expect(page.Lines.Filter(new() { HasText = "one from alice" }).Locator(".time")).ToHaveTextAsync(new Regex(@"^\d{1,2}:\d{2}"));
            await Expect(page.Members).ToHaveTextAsync(["alice", "bob", "carol"]);
            page.AssertNothingWentWrong();
        }

        await carol.WaitForLineAsync("* alice four from alice");
        Assert.Equal(["<alice> one from alice", "<bob> two from bob"], carol.Seen.Where(l => l.Contains(" from ", StringComparison.Ordinal) && l.StartsWith('<')).ToList());
    }

    [Fact]
    public async Task ShiftEnterStartsANewLineAndEnterSendsThemAllAsOneMessage()
    {
        await using var server = await ChatServer.StartAsync();
        await using var carol = await server.ConnectAsync("carol");
        await using var alice = await OpenAsync(server, "alice");
        await alice.JoinAsync("alice");

        await alice.MessageField.FillAsync("first of three");
        await alice.MessageField.PressAsync("Shift+Enter");
        await alice.MessageField.PressSequentiallyAsync("second of three");
        await alice.MessageField.PressAsync("Shift+Enter");
        await alice.MessageField.PressSequentiallyAsync("third of three");
        await Expect(alice.MessageField).ToHaveValueAsync("first of three\nsecond of three\nthird of three"); // nothing sent yet
        Assert.DoesNotContain(carol.Seen, line => line.Contains("of three", StringComparison.Ordinal));
        await alice.MessageField.PressAsync("Enter");
        await Expect(alice.MessageField).ToHaveValueAsync(string.Empty);

        await carol.WaitForLineAsync("<alice> first of three");
        await carol.WaitForLineAsync("<alice> second of three");
        await carol.WaitForLineAsync("<alice> third of three");
        await Expect(alice.Lines.Filter(new() { HasText = "third of three" })).ToHaveCountAsync(1);
        Assert.Equal(["first of three", "second of three", "third of three"], (await alice.LineTextsAsync()).Where(text => text.EndsWith("of three", StringComparison.Ordinal)));
        alice.AssertNothingWentWrong();
    }

    [Fact]
    public async Task InAChatWithAPasswordThePageAsksForItAndLetsInOnlyWithTheRightOne()
    {
        await using var server = await ChatServer.StartAsync("--chat-password", "open sesame");
        await using var alice = await OpenAsync(server, "alice");
        await Expect(alice.PasswordField).ToBeVisibleAsync();

        await alice.PasswordField.FillAsync("open says me");
        await alice.NickField.FillAsync("alice");
        await alice.NickField.PressAsync("Enter");
        await Expect(alice.HelloError).ToHaveTextAsync("Wrong password.");
        await Expect(alice.HelloButton).ToBeEnabledAsync(); // Once the page has reconnected.
        Assert.Equal(0, server.Services.GetRequiredService<ChatRoom>().Count);

        await alice.PasswordField.FillAsync("open sesame");
        await alice.JoinAsync("alice");
        await Expect(alice.PasswordField).ToBeHiddenAsync();
        await Expect(alice.PasswordField).ToHaveValueAsync(string.Empty);
        alice.AssertNothingWentWrong();
    }

    [Fact]
    public async Task AnOpenChatAsksForNoPassword()
    {
        await using var server = await ChatServer.StartAsync();
        await using var alice = await OpenAsync(server, "alice");
        await Expect(alice.Banner).ToHaveTextAsync("Welcome to CatChat!");
        await Expect(alice.PasswordField).ToBeHiddenAsync();
    }

    [Fact]
    public async Task MarkupTypedByAUserIsShownAsTextNeverAsAnElement()
    {
        const string Markup = "<img src=x onerror=alert(1)> <b>bold</b>";
        await using var server = await ChatServer.StartAsync();
        await using var mallory = await server.ConnectAsync("mallory");
        await using var alice = await OpenAsync(server, "alice");
        await alice.JoinAsync("alice");

        await mallory.SendAsync(Markup);
        await alice.SendAsync(Markup);

        await Expect(alice.Lines.Filter(new() { HasText = Markup })).ToHaveCountAsync(2);
        await Expect(alice.Page.Locator("#log img")).ToHaveCountAsync(0);
        await Expect(alice.Page.Locator("#log b")).ToHaveCountAsync(0);
        alice.AssertNothingWentWrong();
    }

    [Fact]
    public async Task AWebUserJoinsAnotherRoomTalksThereAndSwitchesBack()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await bob.SendAsync("/join #cats");
        await bob.SendAsync("meow from bob");
        await using var alice = await OpenAsync(server, "alice");
        await alice.JoinAsync("alice");
        await alice.SendAsync("in the lobby");

        await alice.JoinRoomAsync("#cats");
        await Expect(alice.Lines.Filter(new() { HasText = "meow from bob" })).ToHaveCountAsync(1);
        await Expect(alice.Lines.Filter(new() { HasText = "in the lobby" })).ToHaveCountAsync(0);
        await alice.SendAsync("purr from alice");
        await bob.WaitForLineAsync("<alice> purr from alice");

        await alice.RoomTab("#lobby").ClickAsync();
        await Expect(alice.RoomTab("#lobby")).ToHaveAttributeAsync("aria-current", "true");
        await Expect(alice.Lines.Filter(new() { HasText = "in the lobby" })).ToHaveCountAsync(1);
        await Expect(alice.Lines.Filter(new() { HasText = "purr from alice" })).ToHaveCountAsync(0);
        await bob.SendAsync("another meow");
        await Expect(alice.RoomTab("#cats")).ToHaveClassAsync("unread");
        alice.AssertNothingWentWrong();
    }

    [Fact]
    public async Task PrivateMessagesHaveATabOfTheirOwnAndTheTopicIsSetFromThePage()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await OpenAsync(server, "alice");
        await alice.JoinAsync("alice");
        await alice.SendAsync("hello lobby");

        // A message from bob opens a conversation tab beside the rooms, marked unread; the room's log stays the room's.
        await bob.SendAsync("/msg alice psst, alice");
        await Expect(alice.RoomTab("bob")).ToHaveClassAsync(new Regex("unread"));
        await Expect(alice.RoomTab("#lobby")).ToHaveAttributeAsync("aria-current", "true");
        await Expect(alice.Lines.Filter(new() { HasText = "psst, alice" })).ToHaveCountAsync(0);

        await alice.RoomTab("bob").ClickAsync();
        await Expect(alice.Topic).ToHaveTextAsync("Private conversation with bob");
        await Expect(alice.Lines.Filter(new() { HasText = "psst, alice" })).ToHaveCountAsync(1);
        await Expect(alice.Lines.Filter(new() { HasText = "hello lobby" })).ToHaveCountAsync(0);

        // Whatever she writes there goes to bob alone.
        await alice.SendAsync("hi bob, just us");
        await bob.WaitForLineAsync("*alice* hi bob, just us");
        await Expect(alice.Lines.Filter(new() { HasText = "hi bob, just us" })).ToHaveCountAsync(1);

        await alice.PartButton.ClickAsync();
        await Expect(alice.RoomTab("bob")).ToHaveCountAsync(0);
        await Expect(alice.RoomTab("#lobby")).ToHaveAttributeAsync("aria-current", "true");

        // A /msg typed in the room brings the conversation back into view.
        await alice.SendAsync("/msg bob one more thing");
        await bob.WaitForLineAsync("*alice* one more thing");
        await Expect(alice.RoomTab("bob")).ToHaveAttributeAsync("aria-current", "true");
        await alice.RoomTab("#lobby").ClickAsync();
        await Expect(alice.RoomTab("#lobby")).ToHaveAttributeAsync("aria-current", "true");

        await alice.SendAsync("/topic Cats only, please");
        await bob.WaitForLineAsync("*** alice set the topic of #lobby: Cats only, please");
        await Expect(alice.Topic).ToHaveTextAsync("Cats only, please");
        await bob.SendAsync("/topic Dogs welcome too");
        await Expect(alice.Topic).ToHaveTextAsync("Dogs welcome too");
        await alice.ScreenshotAsync("conversation-and-topic");
        alice.AssertNothingWentWrong();
    }

    [Fact]
    public async Task EarlierLinesAppearAboveTheRoomsLinesWhenAskedFor()
    {
        await using var server = await ChatServer.StartAsync("--flood-burst", "0");
        await using var bob = await server.ConnectAsync("bob");
        for (var i = 0; i < 30; i++)
        {
            await bob.SendAsync($"old line {i}");
        }

        await server.WaitUntilHistoryStoredAsync(32); // The 30 lines, after bob's arrival and rename.
        await using var alice = await OpenAsync(server, "alice");
        await alice.JoinAsync("alice");
        await Expect(alice.Lines.Filter(new() { HasText = "old line 29" })).ToHaveCountAsync(1);
        await Expect(alice.Lines.Filter(new() { HasText = "old line 0" })).ToHaveCountAsync(0);

        await alice.EarlierButton.ClickAsync();

        await Expect(alice.Lines.Filter(new() { HasTextRegex = new Regex("^.*old line 0$") })).ToHaveCountAsync(1);
        var texts = (await alice.LineTextsAsync()).Where(text => text.StartsWith("old line ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"old line {i}"), texts);
        await Expect(alice.EarlierButton).ToHaveTextAsync("No earlier lines");
        await Expect(alice.EarlierButton).ToBeDisabledAsync();
        alice.AssertNothingWentWrong();
    }

    [Fact]
    public async Task AKickedWebUserIsToldWhyAndDisconnected()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var mallory = await OpenAsync(server, "mallory");
        await mallory.JoinAsync("mallory");
        using var admin = server.CreateHttpClient(admin: true);

        var kicked = await admin.PostAsJsonAsync("api/users/mallory/kick", new { reason = "spamming" });

        Assert.True(kicked.IsSuccessStatusCode);
        await Expect(mallory.Lines.Filter(new() { HasText = "You have been kicked: spamming" })).ToHaveCountAsync(1);
        await Expect(mallory.Status).ToHaveTextAsync("Disconnected");
        await bob.WaitForLineAsync("*** mallory has left (kicked: spamming)");
        mallory.AssertNothingWentWrong();
    }

    [Fact]
    public async Task ThePageReconnectsAfterTheServerRestartsWithoutShowingHistoryTwice()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("catchat-webchat-").FullName;
        var httpPort = FreePort.NextAsText();
        string[] settings = ["--data-dir", dataDirectory, "--http-port", httpPort];
        var server = await ChatServer.StartAsync(settings);
        var httpBase = server.HttpBase;
        await using var alice = await WebChatPage.OpenAsync(browser.Browser, httpBase, Name());
        try
        {
            await using (var bob = await server.ConnectAsync("bob"))
            {
                await alice.JoinAsync("alice");
                await bob.SendAsync("before the restart");
                await Expect(alice.Lines.Filter(new() { HasText = "before the restart" })).ToHaveCountAsync(1);
                await server.WaitUntilHistoryStoredAsync(1);
            }

            await server.DisposeAsync();
            await Expect(alice.Status).ToHaveTextAsync("Reconnecting…");
            server = await ChatServer.StartAsync(settings);
            await Expect(alice.Status).ToHaveTextAsync("Connected", new() { Timeout = 30_000 });
            var chat = server.Services.GetRequiredService<ChatRoom>();
            await Eventually.TrueAsync(() => chat.Find("alice") is not null, "alice back in the chat");
            await using var carol = await server.ConnectAsync("carol");
            await carol.SendAsync("after the restart");

            await Expect(alice.Lines.Filter(new() { HasText = "after the restart" })).ToHaveCountAsync(1);
            await Expect(alice.Lines.Filter(new() { HasText = "before the restart" })).ToHaveCountAsync(1);
            await Expect(alice.Lines.Filter(new() { HasText = "Server is shutting down. Goodbye!" })).ToHaveCountAsync(1);
            await Expect(alice.Lines.Filter(new() { HasText = "alice has joined" })).ToHaveCountAsync(1);
            Assert.DoesNotContain(string.Empty, await alice.LineTextsAsync());
            await Expect(alice.Me).ToHaveTextAsync("alice");
            alice.AssertNothingWentWrong();
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task TheDashboardShowsAWebUserAsComingThroughTheWebDoor()
    {
        await using var server = await ChatServer.StartAsync();
        await using var alice = await OpenAsync(server, "alice");
        await alice.JoinAsync("alice");
        await using var dashboard = await DashboardPage.OpenAsync(browser.Browser, server, Name());

        await dashboard.SignInUntilLiveAsync();

        await Expect(dashboard.UserRow("alice").Locator("td.door")).ToHaveTextAsync("web");
        dashboard.AssertNothingWentWrong();
    }

    /// <summary>With CATCHAT_DOCS_SCREENSHOT=1 the picture is also copied to docs/webchat.png.</summary>
    [Fact]
    public async Task ThePageFitsAPhonesWidth()
    {
        await using var server = await ChatServer.StartAsync("--banner", "Welcome to CatChat!\\nBe nice to each other.");
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await WebChatPage.OpenAsync(browser.Browser, server.HttpBase, Name(), width: 375, height: 740);
        await alice.JoinAsync("alice");
        await bob.SendAsync("hello alice, welcome to the web chat");
        await alice.SendAsync("hi bob! it works on my phone");
        await bob.SendAsync("/me purrs");
        await Expect(alice.Lines.Filter(new() { HasText = "purrs" })).ToHaveCountAsync(1);

        Assert.True(await alice.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 375 px");
        var picture = await alice.ScreenshotAsync("phone");
        if (Environment.GetEnvironmentVariable("CATCHAT_DOCS_SCREENSHOT") == "1")
        {
            File.Copy(picture, Path.Combine(RepositoryRoot(), "docs", "webchat.png"), overwrite: true);
        }

        alice.AssertNothingWentWrong();
    }

    private async Task<WebChatPage> OpenAsync(ChatServer server, string who, [CallerMemberName] string testName = "") =>
        await WebChatPage.OpenAsync(browser.Browser, server.HttpBase, $"{testName}-{who}");

    private static string Name([CallerMemberName] string testName = "") => testName;

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CatChat.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("no CatChat.slnx above the test output");
    }
}
