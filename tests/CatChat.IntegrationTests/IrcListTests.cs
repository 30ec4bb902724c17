using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>LIST with ELIST filters: masks, masks left out, member counts, and the ages of rooms and topics.</summary>
public sealed class IrcListTests
{
    [Fact]
    public async Task ListFiltersByMaskByMaskLeftOutAndByMemberCount()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        Assert.Contains(alice.Seen, line => line.Contains(" ELIST=CMNTU ", StringComparison.Ordinal));
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

    [Fact]
    public async Task ListFiltersByTheAgeOfTheRoomAndOfItsTopic()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.JoinAsync("#cats");
        await alice.JoinAsync("#dogs");
        await alice.SendAsync("TOPIC #cats :naps");
        await alice.WaitForLineAsync(line => line.Contains(" TOPIC #cats :naps", StringComparison.Ordinal), "the topic");

        // Both were made a moment ago: less than a minute, more than none, not more than one.
        Assert.Equal(["#cats", "#dogs"], await ListAsync(alice, "C<1,#*s"));
        Assert.Equal(["#cats", "#dogs"], await ListAsync(alice, "C>0,#*s"));
        Assert.Empty(await ListAsync(alice, "C>1"));

        // A room without a topic has no topic age, so a topic filter leaves it out.
        Assert.Equal(["#cats"], await ListAsync(alice, "T<1"));
        Assert.Empty(await ListAsync(alice, "T>1"));
        Assert.Empty(await ListAsync(alice, "T<1,C>1"));
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
