using System.Net.Http.Json;
using System.Text.Json;
using CatChat.Chat;
using CatChat.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.IntegrationTests;

/// <summary>
/// A secret room (+s, set by an IRC operator of the room) is named to nobody outside it, by any door: IRC's LIST,
/// NAMES, WHO and WHOIS, netcat's /rooms and /who, the web chat's rooms and who, the HTTP side's public room list;
/// on every node of a cluster. Its members, and an admin, still see it.
/// </summary>
public sealed class SecretRoomTests
{
    [Fact]
    public async Task OutsidersOnEveryDoorAreNotToldOfASecretRoom()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#hideout");
        await alice.SendAsync("TOPIC #hideout :plans");
        await alice.SendAsync("MODE #hideout +s");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #hideout +s");
        await using var bob = await server.ConnectIrcAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await using var dave = await WebChatClient.ConnectAsync(server, "dave");

        await AssertIrcOutsiderSeesNothingAsync(bob);
        await AssertNetcatOutsiderSeesNothingAsync(carol);
        await AssertWebOutsiderSeesNothingAsync(dave);
        using var anonymous = server.CreateHttpClient();
        Assert.DoesNotContain("#hideout", await RoomNamesAsync(anonymous));
        using var admin = server.CreateHttpClient(admin: true);
        Assert.Contains("#hideout", await RoomNamesAsync(admin));

        // Its member sees it everywhere; once it is no longer secret, so does everyone.
        await alice.SendAsync("LIST");
        await alice.WaitForLineAsync(":catchat 322 alice #hideout 1 :plans");
        await alice.SendAsync("WHOIS alice");
        await alice.WaitForLineAsync(":catchat 319 alice alice :@#hideout");
        await alice.SendAsync("MODE #hideout -s");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #hideout -s");
        await bob.SendAsync("NAMES #hideout");
        await bob.WaitForLineAsync(":catchat 353 bob = #hideout :@alice");
        await carol.SendAsync("/who #hideout");
        await carol.WaitForLineAsync("*** 1 in #hideout: alice");
        Assert.Contains("#hideout", await RoomNamesAsync(anonymous));
    }

    [Fact]
    public async Task ARoomWithNobodyOnANodeIsAsSecretThereAsTheClusterSetIt()
    {
        await using var cluster = await ChatCluster.StartWithIrcAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var alice = await a.ConnectIrcAsync("alice");
        await alice.JoinAsync("#hideout");
        await alice.SendAsync("MODE #hideout +s");
        await alice.WaitForLineAsync(":alice!~alice@irc MODE #hideout +s");
        await Eventually.TrueAsync(
            () => b.Services.GetRequiredService<ChatRoom>().SharedModesOf("#hideout")?.Flags.Contains('s', StringComparison.Ordinal) == true, "b knowing #hideout is secret");
        await using var bob = await b.ConnectIrcAsync("bob");
        await using var carol = await b.ConnectAsync("carol");

        await AssertIrcOutsiderSeesNothingAsync(bob);
        await AssertNetcatOutsiderSeesNothingAsync(carol);
        using var anonymous = b.CreateHttpClient();
        Assert.DoesNotContain("#hideout", await RoomNamesAsync(anonymous));

        // Joining makes bob one of its members: then b names it to him.
        await bob.JoinAsync("#hideout");
        await bob.SendAsync("LIST");
        await bob.WaitForLineAsync(":catchat 322 bob #hideout 2 :");
        await bob.SendAsync("WHOIS alice");
        await bob.WaitForNumericAsync("319");
    }

    private static async Task AssertIrcOutsiderSeesNothingAsync(IrcTestClient outsider)
    {
        await outsider.SendAsync("LIST");
        await outsider.WaitForNumericAsync("323");
        await outsider.SendAsync("NAMES #hideout");
        await outsider.WaitForLineAsync($":catchat 366 {outsider.Nick} #hideout :End of /NAMES list");
        await outsider.SendAsync("WHO #hideout");
        await outsider.WaitForLineAsync($":catchat 315 {outsider.Nick} #hideout :End of WHO list");
        await outsider.SendAsync("WHO alice");
        await outsider.WaitForNumericAsync("315");
        await outsider.SendAsync("WHOIS alice");
        await outsider.WaitForNumericAsync("318");
        Assert.Equal([], [.. outsider.Seen.Where(line => line.Contains("#hideout", StringComparison.Ordinal)
            && IrcTestClient.Numeric(line) is not ("366" or "315"))]);
        Assert.Contains(outsider.Seen, line => IrcTestClient.Numeric(line) == "352" && line.Contains(" * ~alice ", StringComparison.Ordinal));
    }

    private static async Task AssertNetcatOutsiderSeesNothingAsync(TcpChatClient outsider)
    {
        await outsider.SendAsync("/who #hideout");
        await outsider.WaitForLineAsync("! No such room: #hideout.");
        await outsider.SendAsync("/rooms");
        await outsider.WaitForLineAsync("*** 1 room:");
        await outsider.WaitForLineAsync(line => line.StartsWith("***   #lobby (", StringComparison.Ordinal), "the lobby, the one room listed");
    }

    private static async Task AssertWebOutsiderSeesNothingAsync(WebChatClient outsider)
    {
        await outsider.SendAsync(new { type = "who", room = "#hideout" });
        Assert.Equal("room", (await outsider.WaitForAsync(m => m.Type() == "error", "a refusal for #hideout")).String("code"));
        await outsider.SendAsync(new { type = "rooms" });
        var rooms = await outsider.WaitForAsync(m => m.Type() == "rooms", "the room list");
        Assert.Equal(["#lobby"], rooms.GetProperty("rooms").EnumerateArray().Select(room => room.GetProperty("room").GetString()));
    }

    private static async Task<List<string?>> RoomNamesAsync(HttpClient http) =>
        [.. (await http.GetFromJsonAsync<JsonElement>("api/rooms")).GetProperty("rooms").EnumerateArray().Select(room => room.GetProperty("name").GetString())];
}
