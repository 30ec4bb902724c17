using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

/// <summary>CatChat as a real process: start-up errors, --help, and a clean exit on SIGTERM.</summary>
[Collection(AloneCollection.Name)]
public partial class ProcessTests
{
    private const int SIGTERM = 15;

    private static string CatChatDll => Path.Combine(AppContext.BaseDirectory, "CatChat.dll");

    [Fact]
    public async Task SigtermTellsEveryClientAndExitsZero()
    {
        var chatPort = FreePort.Next();
        using var process = Start(OnLoopback(chatPort));
        await new ProcessOutput(process).WaitUntilListeningAsync(chatPort);
        await using var alice = await TcpChatClient.ConnectAsync(chatPort);
        await using var bob = await TcpChatClient.ConnectAsync(chatPort);

        Assert.Equal(0, Kill(process.Id, SIGTERM));

        await alice.WaitForLineAsync("*** Server is shutting down. Goodbye!");
        await bob.WaitForLineAsync("*** Server is shutting down. Goodbye!");
        await alice.WaitUntilClosedAsync();
        await bob.WaitUntilClosedAsync();
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(exited.Token);
        Assert.Equal(0, process.ExitCode);
    }

    [Theory]
    [InlineData("--chat-port", "abc", "--chat-port")]
    [InlineData("--flood-rate", "fast", "--flood-rate")]
    [InlineData("--chat-prot", "1400", "--chat-prot")]
    [InlineData("--database", "garbage;;==", "--database")]
    [InlineData("--database", "Foo=bar", "--database")]
    [InlineData("--database", "Host=x;Timeout=-1", "--database")]
    [InlineData("--max-line-bytes", "1048576", "--send-queue-bytes")]
    [InlineData("--send-queue-bytes", "1024", "--send-queue-bytes")]
    public async Task BadSettingStopsTheStartWithOneLineNamingIt(string name, string value, string named)
    {
        using var process = Start(name, value);
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(named, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadValueIsQuotedWithItsControlCharactersEscapedAndCutShort()
    {
        using var process = Start("--default-room", "#a\u001b[2J" + new string('x', 5000));
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain('\u001b', line);
        Assert.Contains("#a\\u001B[2J", line, StringComparison.Ordinal);
        Assert.InRange(line.Length, 100, 600);
    }

    [Fact]
    public async Task MalformedConnectionStringInTheEnvironmentStopsTheStartWithOneLineNamingDatabase()
    {
        using var process = Start(
            new Dictionary<string, string> { ["ConnectionStrings__CatChat"] = "x==;;Password=hunter2" },
            OnLoopback(FreePort.Next()));
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("catchat: invalid setting --database (ConnectionStrings:CatChat): ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--http-port")]
    [InlineData("--chat-port")]
    [InlineData("--irc-port")]
    public async Task PortInUseStopsTheStartNamingTheSetting(string setting)
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ports = new Dictionary<string, string> { ["--chat-port"] = "0", ["--irc-port"] = "0", ["--http-port"] = "0", [setting] = port };

        using var process = Start([
            "--bind", "127.0.0.1", .. ports.SelectMany(p => new[] { p.Key, p.Value }),
            "--data-dir", Directory.CreateTempSubdirectory("catchat-proc-").FullName]);
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(3, process.ExitCode);
        Assert.Contains($"cannot listen on port {port} ({setting})", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpPrintsEverySettingWithItsDefault()
    {
        using var process = Start("--help");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        foreach (var name in new[] { "--chat-port", "--http-port", "--bind", "--data-dir", "--banner", "--max-line-bytes", "--flood-burst", "--tls-port" })
        {
            Assert.Contains(name, output, StringComparison.Ordinal);
        }

        Assert.Contains("default: 1400", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GeneratedAdminTokenIsStoredButNeverLogged()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("catchat-proc-").FullName;
        var chatPort = FreePort.Next();
        using var process = Start("--bind", "127.0.0.1", "--chat-port", chatPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--irc-port", "0",
            "--http-port", "0", "--data-dir", dataDirectory);
        var log = new ProcessOutput(process);
        await log.WaitUntilListeningAsync(chatPort);

        Assert.Equal(0, Kill(process.Id, SIGTERM));
        await process.WaitForExitAsync();
        var token = (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "admin-token"))).Trim();
        var output = string.Join("\n", log.Seen);
        Assert.Contains(Path.Combine(dataDirectory, "admin-token"), output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminTokenFromTheEnvironmentIsTheOneAccepted()
    {
        var chatPort = FreePort.Next();
        var httpPort = FreePort.Next();
        using var process = Start(
            new Dictionary<string, string> { ["CATCHAT_ADMIN_TOKEN"] = "from-the-environment-0123456789" },
            "--bind", "127.0.0.1", "--chat-port", chatPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--irc-port", "0",
            "--http-port", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--data-dir", Directory.CreateTempSubdirectory("catchat-proc-").FullName);
        try
        {
            await new ProcessOutput(process).WaitUntilListeningAsync(chatPort);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
            http.DefaultRequestHeaders.Authorization = new("Bearer", "from-the-environment-0123456789");

            var response = await http.GetAsync("api/users");

            Assert.Contains("\"connected\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            Kill(process.Id, SIGTERM);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task DataDirectoryThatIsAFileStopsTheStartWithOneLineNamingIt()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("catchat-proc-").FullName, "not-a-directory");
        await File.WriteAllTextAsync(file, "");

        using var process = Start(OnLoopback(FreePort.Next(), dataDirectory: file));
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"catchat: invalid setting --data-dir (CatChat:DataDir): cannot use \"{file}\": it is a file, not a directory", line);
    }

    [Fact]
    public async Task AdminTokenFileThatCannotBeWrittenStopsTheStartWithOneLineNamingTheDataDirectory()
    {
        // Root may write anywhere, so the token's path is taken by a directory instead.
        var dataDirectory = Directory.CreateTempSubdirectory("catchat-proc-").FullName;
        Directory.CreateDirectory(Path.Combine(dataDirectory, "admin-token"));

        using var process = Start(OnLoopback(FreePort.Next(), dataDirectory));
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"catchat: invalid setting --data-dir (CatChat:DataDir): cannot use \"{dataDirectory}\": its admin-token is a directory, not a file", line);
    }

    [Fact]
    public async Task DataDirectoryIsCreatedWhenTheAdminTokenComesFromTheEnvironment()
    {
        var dataDirectory = Path.Combine(Directory.CreateTempSubdirectory("catchat-proc-").FullName, "not", "yet");
        var chatPort = FreePort.Next();
        using var process = Start(
            new Dictionary<string, string> { ["CATCHAT_ADMIN_TOKEN"] = "from-the-environment-0123456789" },
            OnLoopback(chatPort, dataDirectory));
        try
        {
            await new ProcessOutput(process).WaitUntilListeningAsync(chatPort);

            Assert.True(File.Exists(Path.Combine(dataDirectory, "catchat.db")));
        }
        finally
        {
            Kill(process.Id, SIGTERM);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task UnderSystemdReadinessIsSignalledOnlyOnceTheChatPortAcceptsConnections()
    {
        // systemd is not running here: play its part. The notify socket is ours, and the parent process is a
        // shell copied under the name "systemd", which is how .NET's systemd integration recognises it.
        var directory = Directory.CreateTempSubdirectory("catchat-systemd-").FullName;
        var fakeSystemd = Path.Combine(directory, "systemd");
        File.Copy("/bin/sh", fakeSystemd);
        File.SetUnixFileMode(fakeSystemd, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var notifyPath = Path.Combine(directory, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        var chatPort = FreePort.Next();
        var command = $"dotnet '{CatChatDll}' --bind 127.0.0.1 --chat-port {chatPort} --irc-port 0 --http-port 0 --data-dir '{Path.Combine(directory, "data")}'";
        var info = new ProcessStartInfo(fakeSystemd) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        info.Environment["NOTIFY_SOCKET"] = notifyPath;
        using var parent = Process.Start(info)!;
        _ = parent.StandardOutput.ReadToEndAsync();
        _ = parent.StandardError.ReadToEndAsync();
        try
        {
            var ready = await ReceiveNotificationAsync(notify);
            Assert.Contains("READY=1", ready, StringComparison.Ordinal);

            // At the moment of READY=1 the chat must already accept connections: no retry.
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, chatPort);

            var catchat = ChildOf(parent.Id);
            Assert.Equal(0, Kill(catchat, SIGTERM));
            Assert.Contains("STOPPING=1", await ReceiveNotificationAsync(notify), StringComparison.Ordinal);
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await parent.WaitForExitAsync(exited.Token);
            Assert.Equal(0, parent.ExitCode);
        }
        finally
        {
            if (!parent.HasExited)
            {
                parent.Kill(entireProcessTree: true);
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<string> ReceiveNotificationAsync(Socket notify)
    {
        var buffer = new byte[4096];
        // Generous: CI starts this while the IRC conformance suite loads both cores.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var received = await notify.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, received);
    }

    private static int ChildOf(int parentId)
    {
        var children = File.ReadAllText($"/proc/{parentId}/task/{parentId}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return int.Parse(Assert.Single(children), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task JsonLogFormatWritesOneJsonObjectPerLine()
    {
        var chatPort = FreePort.Next();
        using var process = Start(["--log-format", "json", .. OnLoopback(chatPort)]);
        var output = new ProcessOutput(process);
        await output.WaitUntilListeningAsync(chatPort);
        await using (var client = await TcpChatClient.ConnectAsync(chatPort))
        {
        }

        Kill(process.Id, SIGTERM);
        await process.WaitForExitAsync();

        var lines = output.Seen.Where(line => line.Length > 0).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Equal(System.Text.Json.JsonValueKind.Object, System.Text.Json.JsonDocument.Parse(line).RootElement.ValueKind));
        Assert.Contains(lines, line => line.Contains("\"EventId\":1001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SettingsComeFromTheServicesConfigurationDirectory()
    {
        var configuration = Directory.CreateTempSubdirectory("catchat-etc-").FullName;
        await File.WriteAllTextAsync(Path.Combine(configuration, "appsettings.json"), """{"CatChat":{"Banner":"Configured in /etc/catchat"}}""");
        var chatPort = FreePort.Next();
        using var process = Start(
            new Dictionary<string, string> { ["CONFIGURATION_DIRECTORY"] = configuration },
            OnLoopback(chatPort));
        try
        {
            await new ProcessOutput(process).WaitUntilListeningAsync(chatPort);
            await using var client = await TcpChatClient.ConnectAsync(chatPort);

            Assert.Equal("Configured in /etc/catchat", client.Seen[0]);
        }
        finally
        {
            Kill(process.Id, SIGTERM);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task MalformedSettingsFileInTheConfigurationDirectoryStopsTheStartWithOneLineNamingIt()
    {
        var configuration = Directory.CreateTempSubdirectory("catchat-etc-").FullName;
        var file = Path.Combine(configuration, "appsettings.json");
        await File.WriteAllTextAsync(file, """{"CatChat":{"Banner":"unclosed""");

        using var process = Start(
            new Dictionary<string, string> { ["CONFIGURATION_DIRECTORY"] = configuration },
            OnLoopback(FreePort.Next()));
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"catchat: cannot read the settings: Failed to load configuration from file '{file}'.", line, StringComparison.Ordinal);
        Assert.Contains("LineNumber: 0", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedSettingsFileBesideTheBinaryStopsTheStartWithOneLineNamingIt()
    {
        // A copy of the program whose appsettings.json is broken. The dll itself is copied, since .NET reads the
        // settings beside the real file; its dependencies are only linked.
        var directory = Directory.CreateTempSubdirectory("catchat-bin-").FullName;
        foreach (var dependency in Directory.EnumerateFiles(AppContext.BaseDirectory))
        {
            var name = Path.GetFileName(dependency);
            if (name is not ("CatChat.dll" or "appsettings.json"))
            {
                File.CreateSymbolicLink(Path.Combine(directory, name), dependency);
            }
        }

        File.Copy(CatChatDll, Path.Combine(directory, "CatChat.dll"));
        var file = Path.Combine(directory, "appsettings.json");
        await File.WriteAllTextAsync(file, """{"CatChat": {""");

        try
        {
            using var process = Start(new Dictionary<string, string>(), Path.Combine(directory, "CatChat.dll"), OnLoopback(FreePort.Next()));
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.Equal(2, process.ExitCode);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"catchat: cannot read the settings: Failed to load configuration from file '{file}'.", line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task EditedConfigurationAppliesToNewConnectionsWithoutARestart()
    {
        var configuration = Directory.CreateTempSubdirectory("catchat-etc-").FullName;
        var file = Path.Combine(configuration, "appsettings.json");
        await File.WriteAllTextAsync(file, """{"CatChat":{"Banner":"Before the edit"}}""");
        var chatPort = FreePort.Next();
        using var process = Start(
            new Dictionary<string, string> { ["CONFIGURATION_DIRECTORY"] = configuration },
            OnLoopback(chatPort));
        try
        {
            var output = new ProcessOutput(process);
            await output.WaitUntilListeningAsync(chatPort);
            await using (var before = await TcpChatClient.ConnectAsync(chatPort))
            {
                Assert.Equal("Before the edit", before.Seen[0]);
            }

            await File.WriteAllTextAsync(file, """{"CatChat":{"Banner":"After the edit","MaxLineBytes":"100"}}""");

            // The file watcher reports the edit a moment later (sometimes more than once, mid-write first);
            // CatChat logs each time it applies the file, so wait for those lines, not for time to pass.
            TcpChatClient? after = null;
            for (var reload = 0; reload < 5 && after is null; reload++)
            {
                await output.WaitForAsync("Configuration changed: the banner and chat limits now apply");
                var client = await TcpChatClient.ConnectAsync(chatPort);
                if (client.Seen[0] == "After the edit")
                {
                    after = client;
                }
                else
                {
                    await client.DisposeAsync();
                }
            }

            Assert.NotNull(after);
            await using (after)
            {
                await after.SendAsync(new string('x', 150));
                await after.WaitForLineAsync("! Line too long: the limit is 100 bytes. It was not sent.");
            }
        }
        finally
        {
            Kill(process.Id, SIGTERM);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task AConfigurationFileEditedIntoBrokenJsonIsLoggedAndTheRunningSettingsStay()
    {
        var configuration = Directory.CreateTempSubdirectory("catchat-etc-").FullName;
        var file = Path.Combine(configuration, "appsettings.json");
        await File.WriteAllTextAsync(file, """{"CatChat":{"Banner":"Before the edit","MaxLineBytes":"100"}}""");
        var chatPort = FreePort.Next();
        using var process = Start(
            new Dictionary<string, string> { ["CONFIGURATION_DIRECTORY"] = configuration },
            OnLoopback(chatPort));
        try
        {
            var output = new ProcessOutput(process);
            await output.WaitUntilListeningAsync(chatPort);

            await File.WriteAllTextAsync(file, """{"CatChat":{"Banner":"After the edit",""");
            await output.WaitForAsync("Configuration file changed but could not be read, so the running settings stay as they were");

            // Neither the banner nor the line limit fell back to the defaults.
            await using var client = await TcpChatClient.ConnectAsync(chatPort);
            Assert.Equal("Before the edit", client.Seen[0]);
            await client.SendAsync(new string('x', 150));
            await client.WaitForLineAsync("! Line too long: the limit is 100 bytes. It was not sent.");
        }
        finally
        {
            Kill(process.Id, SIGTERM);
            await process.WaitForExitAsync();
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private static Process Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    // The usual switches of a test process: loopback, the given chat port, any HTTP port, a fresh data directory.
    private static string[] OnLoopback(int chatPort, string? dataDirectory = null) =>
    [
        "--bind", "127.0.0.1", "--chat-port", chatPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--irc-port", "0",
        "--http-port", "0", "--data-dir", dataDirectory ?? Directory.CreateTempSubdirectory("catchat-proc-").FullName,
    ];

    private static Process Start(Dictionary<string, string> environment, params string[] args) => Start(environment, CatChatDll, args);

    private static Process Start(Dictionary<string, string> environment, string program, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        info.ArgumentList.Add(program);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        return process;
    }
}
