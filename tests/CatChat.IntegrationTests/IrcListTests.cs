using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>LIST with ELIST filters: masks, masks left out and member counts.</summary>
public sealed class IrcListTests
{
    [Fact]
    public async Task ListFiltersByMaskByMaskLeftOutAndByMemberCount()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        Assert.Contains(alice.Seen, line => line.Contains(" ELIST=MNU ", StringComparison.Ordinal));
        await alice.JoinAsync("#cats");
        await alice.JoinAsync("#dogs");
        await bob.JoinAsync("#dogs");

        Assert.Equal(["#cats"], await ListAsync(bob, "#c*"));
        Assert.Equal(["#cats"], await ListAsync(bob, "!#d*,!#lobby"));
        Assert.Equal(["#dogs"], await ListAsync(bob, ">1"));
        Assert.Equal(["#cats"], await ListAsync(bob, "<2,#*s"));
        Assert.Equal(["#cats", "#dogs"], await ListAsync(bob, "#cats,#DOGS"));
        Assert.Empty(await ListAsync(bob, "<1"));
    }

    private static async Task<string[]> ListAsync(IrcTestClient client, string filter)
    {
        var before = client.Seen.Count;
        await client.SendAsync("LIST " + filter);
        await client.WaitForLineAsync(line => IrcTestClient.Numeric(line) == "323" && client.Seen.Skip(before).Contains(line), "the end of LIST " + filter);
        return [.. client.Seen.Skip(before).TakeWhile(line => IrcTestClient.Numeric(line) != "323")
            .Where(line => IrcTestClient.Numeric(line) == "322").Select(line => line.Split(' ')[3]).Order(StringComparer.Ordinal)];
    }
}
