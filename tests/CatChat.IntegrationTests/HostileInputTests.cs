using System.Text;
using CatChat.Sessions;
using CatChat.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CatChat.IntegrationTests;

public class HostileInputTests
{
    /// <summary>The server under test: the default transport here, io_uring in the derived class.</summary>
    private protected virtual Task<ChatServer> StartServerAsync(params string[] settings) => ChatServer.StartAsync(settings);

    private static readonly byte[] TelnetNegotiation = [0xFF, 0xFB, 0x1F, 0xFF, 0xFD, 0x01, 0xFF, 0xFA, 0x18, 0x01, 0xFF, 0xF0];

    public static TheoryData<int> ChunkSizes => [1, 2, 3, 5, 7, 64];

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public async Task InputSplitAnywhereArrivesAsTheSameCleanLine(int chunkSize)
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        var line = new List<byte>(TelnetNegotiation);
        line.AddRange(Encoding.UTF8.GetBytes("gr\u00fc\u00df \u001b[31mrot\u001b[0m \u001b]0;owned\u0007\u65e5\u672c \U0001F431\r\n"));

        await alice.SendInChunksAsync([.. line], chunkSize);

        await bob.WaitForLineAsync("<alice> gr\u00fc\u00df rot \u65e5\u672c \U0001F431");
    }

    [Fact]
    public async Task CrLfSplitBetweenSegmentsIsOneLineEnd()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendRawAsync("first\r"u8.ToArray());
        await alice.SendRawAsync("\nsecond\r\n"u8.ToArray());

        await bob.WaitForLineAsync("<alice> first");
        await bob.WaitForLineAsync("<alice> second");
    }

    [Fact]
    public async Task ControlCharactersAndEscapeSequencesNeverReachAnotherClient()
    {
        await using var server = await StartServerAsync();
        await using var mallory = await server.ConnectAsync("mallory");
        await using var bob = await server.ConnectAsync("bob");

        await mallory.SendRawAsync(Encoding.UTF8.GetBytes(
            "a\0b\u0007c\u0008d\u001b[2J\u001b[10;10He\u001b]0;title\u001b\\f\u009b31mg\u0085h\u202eijk\u007f\r\n"));

        var line = await bob.WaitForLineAsync(l => l.StartsWith("<mallory> ", StringComparison.Ordinal));
        Assert.Equal("<mallory> abcdefghijk", line);
    }

    [Fact]
    public async Task InvalidUtf8BecomesReplacementCharacters()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendRawAsync([(byte)'o', (byte)'k', 0xC3, 0x28, (byte)' ', 0xE2, 0x82, (byte)'!', 0x0D, 0x0A]);

        await bob.WaitForLineAsync("<alice> ok\uFFFD( \uFFFD!");
    }

    [Fact]
    public async Task OverlongLineIsRefusedAndTheConnectionStaysUsable()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync(new string('x', 4097));
        await alice.WaitForLineAsync("! Line too long: the limit is 4096 bytes. It was not sent.");
        await alice.SendAsync(new string('y', 4096));

        var bobSaw = await bob.LinesBeforeAsync("<alice> " + new string('y', 4096));
        Assert.DoesNotContain(bobSaw, line => line.Contains("xxxx", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MegabytesWithoutANewlineCostOneErrorAndNothingElse()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        var chunk = Encoding.ASCII.GetBytes(new string('z', 64 * 1024));

        for (var i = 0; i < 128; i++)
        {
            await alice.SendRawAsync(chunk); // 8 MiB, no newline anywhere
        }

        await alice.SendRawAsync("\r\nstill here\r\n"u8.ToArray());

        await bob.WaitForLineAsync("<alice> still here");
        await alice.SendAsync("/who");
        await alice.WaitForLineAsync(line => line.StartsWith("*** 2 users online", StringComparison.Ordinal));
        Assert.Single(alice.Seen, line => line.StartsWith("! Line too long", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PasteBeyondTheBurstIsDelayedInOrderAndNothingIsDropped()
    {
        await using var server = await StartServerAsync("--flood-burst", "5", "--flood-rate", "50");
        await using var alice = await server.ConnectAsync();
        await using var bob = await server.ConnectAsync();
        var paste = string.Concat(Enumerable.Range(1, 40).Select(i => $"paste line {i}\r\n"));

        await alice.SendRawAsync(Encoding.UTF8.GetBytes(paste));

        await bob.WaitForLineAsync($"<{alice.Nick}> paste line 40");
        var received = bob.Seen.Where(line => line.StartsWith($"<{alice.Nick}> paste line ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => $"<{alice.Nick}> paste line {i}"), received);
        Assert.Single(alice.Seen, line => line.StartsWith("! You are sending too fast", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientThatKeepsFloodingIsDisconnected()
    {
        await using var server = await StartServerAsync("--flood-burst", "2", "--flood-rate", "20", "--flood-disconnect-after", "1");
        await using var flooder = await server.ConnectAsync();
        await using var bob = await server.ConnectAsync();

        var lines = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, 200).Select(i => $"spam {i}\r\n")));
        await flooder.SendRawAsync(lines);

        await flooder.WaitForLineAsync(line => line.StartsWith("! Excess flood", StringComparison.Ordinal));
        await bob.WaitForLineAsync($"*** {flooder.Nick} has left (excess flood)");
        Assert.DoesNotContain($"<{flooder.Nick}> spam 200", bob.Seen);
    }

    [Fact]
    public async Task ClientThatNeverPausesIsDisconnectedEvenAtAHighFloodRate()
    {
        await using var server = await StartServerAsync("--flood-burst", "5", "--flood-rate", "500", "--flood-disconnect-after", "1");
        await using var flooder = await server.ConnectAsync("flooder");
        await using var bob = await server.ConnectAsync("bob");

        // Five seconds' worth at the allowed rate, sent at once: late timers must not reset the clock.
        await flooder.SendRawAsync(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, 2500).Select(i => $"spam {i}\r\n"))));
        var outcome = await bob.WaitForLineAsync(line => line is "*** flooder has left (excess flood)" or "<flooder> spam 2500");

        Assert.Equal("*** flooder has left (excess flood)", outcome);
        Assert.Single(flooder.Seen, line => line.StartsWith("! You are sending too fast", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PasteAtAHighFloodRateGetsOneWarningHoweverLateTheTimersFire()
    {
        await using var server = await StartServerAsync("--flood-burst", "5", "--flood-rate", "500");
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendRawAsync(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, 500).Select(i => $"paste line {i}\r\n"))));
        await bob.WaitForLineAsync("<alice> paste line 500");
        await alice.SendAsync("/who");
        var aliceSaw = await alice.LinesBeforeAsync("*** 2 users online: alice, bob");

        Assert.Equal(["! You are sending too fast: your lines are delayed to 500 per second."], aliceSaw.Where(line => line.StartsWith("! ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task StrayFfByteDoesNotSwallowTheCharacterAfterIt()
    {
        await using var server = await StartServerAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendRawAsync([.. "caf"u8, 0xFF, .. "es ok\r\n"u8]);

        await bob.WaitForLineAsync("<alice> cafes ok");
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: localhost:1400\r\n\r\n")]
    [InlineData("POST /chat HTTP/1.1\r\nHost: localhost:1400\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n\r\nbuy cheap stuff now\r\n")]
    public async Task HttpRequestIsClosedWithoutAWordToAnyone(string request)
    {
        await using var server = await StartServerAsync("--join-announce-delay", "0.5");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await carol.SendAsync("before");
        var seenBefore = (await bob.LinesBeforeAsync("<carol> before")).Count + 1;

        var browser = TcpChatClient.Open(server.ChatPort);
        await browser.SendRawAsync(Encoding.ASCII.GetBytes(request));
        await browser.WaitUntilClosedAsync();

        // A silent witness connects after the browser: its join notice comes one announce delay later,
        // so anything the browser's own (earlier) join timer could have sent would arrive before it.
        await using var witness = await server.ConnectAsync();
        await carol.WaitForLineAsync($"*** {witness.Nick} has joined");
        await carol.SendAsync("after");

        var bobSaw = (await bob.LinesBeforeAsync("<carol> after")).Skip(seenBefore).ToList();
        Assert.Equal([$"*** {witness.Nick} has joined"], bobSaw);
    }

    // The start of a TLS 1.2/1.3 ClientHello: a handshake record, version 3.1, then its length and message type.
    private static readonly byte[] ClientHello = [0x16, 0x03, 0x01, 0x00, 0xF4, 0x01, 0x00, 0x00, 0xF0, 0x03, 0x03, 0x5A, 0x17];

    [Fact]
    public async Task ATlsClientOnThePlainPortIsClosedWithoutAWordToAnyone()
    {
        await using var server = await StartServerAsync("--join-announce-delay", "0.5");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await carol.SendAsync("before");
        var seenBefore = (await bob.LinesBeforeAsync("<carol> before")).Count + 1;

        // It sends its hello and waits for the server's: no line ever ends.
        var tlsClient = TcpChatClient.Open(server.ChatPort);
        await tlsClient.SendRawAsync(ClientHello);
        await tlsClient.WaitUntilClosedAsync();

        await using var witness = await server.ConnectAsync();
        await carol.WaitForLineAsync($"*** {witness.Nick} has joined");
        await carol.SendAsync("after");
        var bobSaw = (await bob.LinesBeforeAsync("<carol> after")).Skip(seenBefore).ToList();
        Assert.Equal([$"*** {witness.Nick} has joined"], bobSaw);
    }

    [Fact]
    public async Task ATlsClientOnThePlainIrcPortIsClosed()
    {
        await using var server = await ChatServer.StartWithIrcAsync();
        await using var tlsClient = IrcTestClient.Open(server.IrcPort);

        await tlsClient.SendRawAsync(ClientHello);

        await tlsClient.WaitUntilClosedAsync();
        Assert.Empty(tlsClient.Seen);
    }

    [Fact]
    public async Task ClientThatVanishesMidLineAffectsNoOne()
    {
        await using var server = await StartServerAsync();
        var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");

        await alice.SendRawAsync("half a li"u8.ToArray());
        alice.Reset();
        await bob.WaitForLineAsync(line => line.StartsWith("*** alice has left", StringComparison.Ordinal));
        await carol.SendAsync("still chatting");

        var bobSaw = await bob.LinesBeforeAsync("<carol> still chatting");
        Assert.DoesNotContain(bobSaw, line => line.Contains("half", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientThatNeverReadsIsDisconnectedAndNobodyWaitsForIt()
    {
        await using var server = await StartServerAsync("--send-queue-bytes", "262144", "--flood-burst", "0");
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        var stuck = TcpChatClient.Open(server.ChatPort, reads: false);
        await stuck.SendAsync("/nick stuck");
        await bob.WaitForLineAsync(line => line.EndsWith(" is now known as stuck", StringComparison.Ordinal));
        var payload = new string('p', 1000);

        // 20 MB in batches bob keeps up with: far beyond what the kernel buffers and the 256 KiB queue hold.
        for (var batch = 0; batch < 400; batch++)
        {
            var lines = string.Concat(Enumerable.Range(0, 50).Select(i => $"{batch}.{i} {payload}\r\n"));
            await alice.SendRawAsync(Encoding.ASCII.GetBytes(lines));
            await bob.WaitForLineAsync($"<alice> {batch}.49 {payload}");
        }

        await bob.WaitForSeenAsync("*** stuck has left (send queue exceeded)");
        Assert.Equal(20_000, bob.Seen.Count(line => line.StartsWith("<alice> ", StringComparison.Ordinal)));
        await stuck.DisposeAsync();
    }

    [Fact]
    public async Task ConnectionsPastTheTotalCapAreRefusedWithOneLine()
    {
        await using var server = await StartServerAsync("--max-connections", "2");
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();

        await using var third = TcpChatClient.Open(server.ChatPort);

        await third.WaitUntilClosedAsync();
        Assert.Equal(["! Server full: too many connections. Try again later."], third.Seen);
    }

    [Fact]
    public async Task AnAbortedConnectionGivesItsPlaceBack()
    {
        await using var server = await StartServerAsync("--max-connections", "1");

        // An HTTP request is aborted, not closed gracefully: its place must still be counted out.
        await using (var browser = TcpChatClient.Open(server.ChatPort))
        {
            await browser.SendRawAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
            await browser.WaitUntilClosedAsync();
        }

        // The place is given back after the session, when the socket is done; nothing announces it, so look.
        await Eventually.TrueAsync(() => server.Services.GetRequiredService<ConnectionAdmission>().Total == 0, "the aborted connection counted out");
        await using var next = await server.ConnectAsync("next");
        Assert.Contains(next.Seen, line => line.StartsWith("*** You are ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectionsPastThePerAddressCapAreRefused()
    {
        await using var server = await StartServerAsync("--max-connections-per-ip", "2", "--loopback-exempt", "false");
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();

        await using var third = TcpChatClient.Open(server.ChatPort);
        await third.WaitUntilClosedAsync();
        await second.DisposeAsync();
        await first.WaitForLineAsync(line => line.EndsWith(" has left (connection closed)", StringComparison.Ordinal));

        // The departure is announced before the session's last flush; the slot is free once the socket is done, which
        // nothing announces: look at the count.
        var admission = server.Services.GetRequiredService<ConnectionAdmission>();
        await Eventually.TrueAsync(() => admission.Total == 1, "the closed connection counted out, one left");
        await using var fourth = await server.ConnectAsync();

        Assert.Equal(["! Too many connections from your address. Try again later."], third.Seen);
    }

    [Fact]
    public async Task LoopbackIsExemptFromThePerAddressCapByDefault()
    {
        await using var server = await StartServerAsync("--max-connections-per-ip", "1");
        await using var first = await server.ConnectAsync();

        await using var second = await server.ConnectAsync();

        await second.SendAsync("/who");
        await second.WaitForLineAsync(line => line.StartsWith("*** 2 users online", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SilentClientIsDisconnectedAfterTheIdleTimeout()
    {
        await using var server = await StartServerAsync("--idle-timeout", "1");
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync();

        // Bob keeps talking (so only alice is idle), a line every quarter second at most, and stops the moment
        // the server closes alice's connection; bounded.
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        for (var i = 0; i < 40 && !alice.Closed.IsCompleted; i++)
        {
            await bob.SendAsync("/who");
            await Task.WhenAny(alice.Closed, pace.WaitForNextTickAsync().AsTask());
        }

        await alice.WaitUntilClosedAsync();
        await bob.WaitForSeenAsync("*** alice has left (idle timeout)");
    }

    [Fact]
    public async Task ChatSocketsHaveTcpKeepaliveOn()
    {
        await using var server = await StartServerAsync("--keepalive-time", "30", "--keepalive-interval", "5", "--keepalive-probes", "4");
        await using var alice = await server.ConnectAsync("alice");
        var port = ((System.Net.IPEndPoint)GetLocalEndPoint(alice)).Port;

        // /proc/net/tcp shows the kernel's timer for each socket: 2 is keepalive, 0 none; 1 (retransmit)
        // only shows while the greeting is unacknowledged, so wait for that to settle. Nothing announces it: the
        // table is read again until it has.
        var serverSide = await KernelSocketTable.WaitForTimerAsync(
            localPort: server.ChatPort, remotePort: port, settled: kind => kind != 1, what: "the greeting's retransmit timer (1) to end");

        Assert.Equal(2, serverSide.TimerKind);
    }

    private static System.Net.EndPoint GetLocalEndPoint(TcpChatClient client) => client.LocalEndPoint;
}
