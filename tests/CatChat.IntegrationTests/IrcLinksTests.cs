using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>LINKS: this server, and in a cluster the other nodes, one hop away, by the names WHOIS shows.</summary>
public sealed class IrcLinksTests
{
    [Fact]
    public async Task AServerAloneListsItselfWithItsDescription()
    {
        await using var server = await ChatServer.StartWithIrcAsync("--irc-server-description", "Cats of Kent");
        await using var alice = await server.ConnectIrcAsync("alice");

        await alice.SendAsync("LINKS");
        await alice.WaitForLineAsync(":catchat 364 alice catchat catchat :0 Cats of Kent");
        await alice.WaitForLineAsync(":catchat 365 alice * :End of /LINKS list");
        await alice.SendAsync("LINKS elsewhere.*");
        await alice.WaitForLineAsync(":catchat 365 alice elsewhere.* :End of /LINKS list");
        Assert.Single(alice.Seen, line => IrcTestClient.Numeric(line) == "364");
        await alice.SendAsync("WHOIS alice");
        await alice.WaitForLineAsync(":catchat 312 alice alice catchat :Cats of Kent");
    }

    [Fact]
    public async Task InAClusterTheOtherNodesAreListedOneHopAwayAsWhoisNamesThem()
    {
        await using var cluster = await ChatCluster.StartWithIrcAsync(3);
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var bob = await b.ConnectIrcAsync("bob");
        await using var alice = await a.ConnectIrcAsync("alice");
        await Eventually.TrueAsync(() => ChatCluster.BackplaneOf(a).Cluster.Find("bob") is not null, "a knowing bob");

        await alice.SendAsync("WHOIS bob");
        var whois = await alice.WaitForNumericAsync("312");
        var bobsNode = whois.Split(' ')[4];
        await alice.SendAsync("LINKS");
        await alice.WaitForLineAsync(":catchat 365 alice * :End of /LINKS list");
        var links = alice.Seen.Where(line => IrcTestClient.Numeric(line) == "364").ToList();

        Assert.Equal(3, links.Count);
        Assert.StartsWith(":catchat 364 alice catchat catchat :0 ", links[0], StringComparison.Ordinal);
        Assert.Contains($":catchat 364 alice {bobsNode} catchat :1 CatChat node (1 online)", links);
        await alice.SendAsync("LINKS " + bobsNode);
        await alice.WaitForLineAsync($":catchat 365 alice {bobsNode} :End of /LINKS list");
        Assert.Equal(4, alice.Seen.Count(line => IrcTestClient.Numeric(line) == "364"));
    }
}
