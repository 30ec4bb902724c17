using CatChat.Chat;
using CatChat.Hosting;
using Microsoft.Extensions.Configuration;

namespace CatChat.Tests;

public class SettingsCatalogTests
{
    private static CatChatSettings BindCommandLine(params string[] args)
    {
        SettingsCatalog.CheckCommandLine(args);
        var configuration = new ConfigurationBuilder().AddCommandLine(args, SettingsCatalog.SwitchMappings()).Build();
        return SettingsCatalog.Bind(configuration);
    }

    [Fact]
    public void DefaultsServeChatOn1400AndHttpOnLoopback8080()
    {
        var options = BindCommandLine();

        Assert.Equal(1400, options.Listener.ChatPort);
        Assert.Equal("*", options.Listener.Bind);
        Assert.Equal(8080, options.Api.HttpPort);
        Assert.Equal("127.0.0.1", options.Api.HttpBind);
        Assert.Equal("./data", options.Persistence.DataDir);
        Assert.Equal(["Welcome to CatChat!"], BannerText.Parse(options.Chat.Banner).Lines);
    }

    [Fact]
    public void CommandLineSwitchesSetTheirSettings()
    {
        var options = BindCommandLine(
            "--chat-port", "1401", "--http-port=8081", "--bind", "127.0.0.1", "--data-dir", "/tmp/x",
            "--banner", "one\\ntwo", "--flood-burst", "0", "--idle-timeout", "2.5", "--loopback-exempt", "false");

        Assert.Equal(1401, options.Listener.ChatPort);
        Assert.Equal(8081, options.Api.HttpPort);
        Assert.Equal("127.0.0.1", options.Listener.Bind);
        Assert.Equal("/tmp/x", options.Persistence.DataDir);
        Assert.Equal(["one", "two"], BannerText.Parse(options.Chat.Banner).Lines);
        Assert.Equal(0, options.Sessions.FloodBurst);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.Sessions.IdleTimeout);
        Assert.False(options.Sessions.LoopbackExempt);
    }

    [Fact]
    public void EnvironmentStyleKeysSetSettingsToo()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CatChat:MaxLineBytes"] = "512" })
            .Build();

        Assert.Equal(512, SettingsCatalog.Bind(configuration).Chat.MaxLineBytes);
    }

    [Theory]
    [InlineData("--chat-port", "abc")]
    [InlineData("--chat-port", "70000")]
    [InlineData("--bind", "not-an-address")]
    [InlineData("--flood-rate", "-1")]
    [InlineData("--loopback-exempt", "maybe")]
    [InlineData("--idle-timeout", "forever")]
    [InlineData("--trusted-proxies", "nginx")]
    [InlineData("--trusted-proxies", "127.0.0.1,10.0.0.1/8")]
    [InlineData("--chat-transport", "kqueue")]
    public void UnusableValueIsRefusedNamingTheSetting(string name, string value)
    {
        var error = Assert.Throws<SettingException>(() => BindCommandLine(name, value));

        Assert.StartsWith($"invalid setting {name} ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{value}\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage;;==")]
    [InlineData("Foo=bar")]
    [InlineData("Host=x;Timeout=-1")]
    [InlineData("Host=x;Password=hunter2;Port=abc")]
    [InlineData("Data Source=chat.db;Password=hunter2;Pooling=maybe")]
    public void MalformedDatabaseConnectionStringIsRefusedWithoutRepeatingIt(string connectionString)
    {
        var error = Assert.Throws<SettingException>(() => BindCommandLine("--database", connectionString));

        Assert.StartsWith("invalid setting --database (CatChat:Database): the value is not a connection string ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(connectionString, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hunter2\u0007")]
    [InlineData("hunter2\u001b[2J")]
    [InlineData("hunter2hunter2hunter2hunter2hunter2hunter2hunter2hunter2hunter2hunter2hunter2hunter2hunter2hunter2hunter2")]
    public void AnUnusableChatPasswordIsRefusedWithoutRepeatingIt(string password)
    {
        var error = Assert.Throws<SettingException>(() => BindCommandLine("--chat-password", password));

        Assert.StartsWith("invalid setting --chat-password (CatChat:ChatPassword): the value is not ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AChatPasswordIsAskedForAndMatchedExactly()
    {
        var settings = BindCommandLine("--chat-password", "open sesame");

        Assert.True(settings.Chat.NeedsPassword);
        Assert.True(settings.Chat.AdmitsPassword("open sesame"));
        Assert.False(settings.Chat.AdmitsPassword("open sesam"));
        Assert.False(settings.Chat.AdmitsPassword("Open sesame"));
        Assert.False(settings.Chat.AdmitsPassword(null));
        Assert.True(BindCommandLine().Chat.AdmitsPassword(null)); // An open chat.
    }

    [Fact]
    public void MalformedConnectionStringFromTheEnvironmentIsRefusedNamingDatabase()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:CatChat"] = "x==;;" })
            .Build();

        var error = Assert.Throws<SettingException>(() => SettingsCatalog.Bind(configuration));

        Assert.StartsWith("invalid setting --database (ConnectionStrings:CatChat): ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db.internal;Database=catchat;Username=catchat;Password=secret")]
    [InlineData("Data Source=/var/lib/catchat/chat.db;Default Timeout=5")]
    public void WellFormedDatabaseConnectionStringIsTaken(string connectionString)
    {
        Assert.Equal(connectionString, BindCommandLine("--database", connectionString).Persistence.Database);
    }

    [Theory]
    [InlineData("foo bar baz")]
    [InlineData("not a host::")]
    public void RedisAddressThatNamesNoHostIsRefusedWithoutRepeatingIt(string address)
    {
        var error = Assert.Throws<SettingException>(() => BindCommandLine("--redis", address));

        Assert.StartsWith("invalid setting --redis ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(address, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("localhost")]
    [InlineData("redis.internal:6379,password=secret")]
    [InlineData("10.0.0.5:7000,10.0.0.6:7000")]
    public void WellFormedRedisAddressIsTaken(string address)
    {
        Assert.Equal(address, BindCommandLine("--redis", address).Backplane.Redis);
    }

    [Theory]
    [InlineData("--max-line-bytes", "1048576")]
    [InlineData("--send-queue-bytes", "1024")]
    [InlineData("--send-queue-bytes", "102399")]
    public void SendQueueThatCannotHoldFourOfTheLongestLinesIsRefused(string name, string value)
    {
        var error = Assert.Throws<SettingException>(() => BindCommandLine(name, value));

        Assert.StartsWith("invalid setting --send-queue-bytes (CatChat:SendQueueBytes): ", error.Message, StringComparison.Ordinal);
        Assert.Contains("--max-line-bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SendQueueMinimumCountsTheWebChatsEscapingOnlyWhileTheWebChatIsOn()
    {
        // 4 × (6 × 4096 + 1024) with the web chat, 4 × (4096 + 1024) without.
        Assert.Equal(102_400, BindCommandLine("--send-queue-bytes", "102400").Sessions.SendQueueBytes);
        var error = Assert.Throws<SettingException>(() => BindCommandLine("--send-queue-bytes", "20479", "--web-chat", "false"));
        Assert.Contains("it must be at least 20480 (4 × (4096 + 1024))", error.Message, StringComparison.Ordinal);
        Assert.Equal(20_480, BindCommandLine("--send-queue-bytes", "20480", "--web-chat", "false").Sessions.SendQueueBytes);
    }

    [Theory]
    [InlineData("--send-queue-bytes", "67108864")] // the bench's CatChat target
    [InlineData("--send-queue-bytes", "262144")]
    [InlineData("--max-line-bytes", "20000")]
    public void SettingsTheTestsAndTheBenchUseHoldEnoughLines(string name, string value)
    {
        var options = BindCommandLine(name, value);

        Assert.True(options.Sessions.SendQueueBytes >= SettingsCatalog.MinimumSendQueueBytes(options));
    }

    [Fact]
    public void TrustedProxiesAreNoneByDefaultAndTakeAddressesAndNetworks()
    {
        Assert.Empty(BindCommandLine().Api.TrustedProxyNetworks);

        var options = BindCommandLine("--trusted-proxies", "127.0.0.1, ::1,10.0.0.0/8");

        Assert.Equal(["127.0.0.1", "::1", "10.0.0.0/8"], options.Api.TrustedProxies);
        Assert.Equal(
            [System.Net.IPNetwork.Parse("127.0.0.1/32"), System.Net.IPNetwork.Parse("::1/128"), System.Net.IPNetwork.Parse("10.0.0.0/8")],
            options.Api.TrustedProxyNetworks);
    }

    [Fact]
    public void UnknownOptionIsRefusedRatherThanIgnored()
    {
        var error = Assert.Throws<SettingException>(() => SettingsCatalog.CheckCommandLine(["--chat-prot", "1400"]));

        Assert.Contains("--chat-prot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionWithoutValueIsRefused()
    {
        Assert.Throws<SettingException>(() => SettingsCatalog.CheckCommandLine(["--chat-port"]));
    }

    [Fact]
    public void TlsWithoutCertificateIsRefused()
    {
        var error = Assert.Throws<SettingException>(() => BindCommandLine("--tls-port", "6697"));

        Assert.Contains("--tls-cert", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TlsIsOffUnlessACertificateIsGiven()
    {
        Assert.False(BindCommandLine().Listener.TlsEnabled);
        Assert.True(BindCommandLine("--tls-cert", "chat.pfx").Listener.TlsEnabled);
        Assert.Equal(1401, BindCommandLine("--tls-cert", "chat.pfx").Listener.TlsPort);
    }

    [Fact]
    public void HelpListsEverySettingWithItsDefault()
    {
        var help = SettingsCatalog.Help();

        foreach (var setting in SettingsCatalog.All)
        {
            Assert.Contains(setting.Switch, help, StringComparison.Ordinal);
        }

        Assert.Contains("default: 1400", help, StringComparison.Ordinal);
        Assert.Contains("default: 4096", help, StringComparison.Ordinal);
    }

    [Fact]
    public void ExampleConfigurationNamesEverySettingWithItsDefault()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "CatChat.slnx")))
        {
            root = root.Parent ?? throw new InvalidOperationException("no CatChat.slnx above the test output");
        }

        var example = new ConfigurationBuilder().AddJsonFile(Path.Combine(root.FullName, "deploy", "appsettings.json")).Build();
        var defaults = new CatChatSettings();

        foreach (var setting in SettingsCatalog.All)
        {
            Assert.Equal(setting.Show(defaults), example[setting.ConfigurationKey]);
        }

        Assert.Equal(SettingsCatalog.All.Count, example.GetSection(Setting.Section).GetChildren().Count());
    }
}
