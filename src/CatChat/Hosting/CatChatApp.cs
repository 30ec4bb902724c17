using System.Globalization;
using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using CatChat.Api;
using CatChat.Persistence;
using Microsoft.AspNetCore.Connections;

namespace CatChat.Hosting;

/// <summary>Builds and runs the CatChat host from command-line arguments, turning bad settings into one clear line.</summary>
public static partial class CatChatApp
{
    public const int ExitBadSetting = 2;
    public const int ExitCannotListen = 3;

    public static string Version =>
        typeof(CatChatApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Builds the host; throws <see cref="SettingException"/> for a bad setting.</summary>
    public static WebApplication Build(string[] args)
    {
        SettingsCatalog.CheckCommandLine(args);
        ThreadPoolFloor.Raise();
        WebApplicationBuilder builder;
        try
        {
            // appsettings.json is read from beside the binary; relative paths in settings (--data-dir) from the working directory.
            builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
            // Under systemd, ConfigurationDirectory=catchat points here at /etc/catchat; the command line still wins.
            if (Environment.GetEnvironmentVariable("CONFIGURATION_DIRECTORY") is { Length: > 0 } configurationDirectory)
            {
                builder.Configuration.AddJsonFile(Path.Combine(configurationDirectory.Split(':')[0], "appsettings.json"), optional: true, reloadOnChange: true);

                // The environment still beats the file (a drop-in's Environment= must not be silently ignored).
                builder.Configuration.AddEnvironmentVariables();
            }
        }
        catch (InvalidDataException ex)
        {
            // The message names the file; its innermost cause says where the JSON went wrong.
            throw new SettingException($"cannot read the settings: {ex.Message} {ex.GetBaseException().Message}");
        }

        builder.Configuration.AddCommandLine(args, SettingsCatalog.SwitchMappings());

        // Under systemd: READY=1 once the ports are open (Type=notify), STOPPING=1 on the way down, journal-style logs.
        builder.Host.UseSystemd();
        if (builder.Configuration[Setting.Section + ":" + nameof(ListenerOptions.LogFormat)] == "json")
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                json.UseUtcTimestamp = true;
            });
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.FormatterName = "json");
        }
        else
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            });
        }
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Session keys live unencrypted in the owner-only data directory by design; no need to warn at every start.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        // A failed start is reported once, as one line naming the setting (see RunAsync), not as a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.AddCatChat();

        var app = builder.Build();
        try
        {
            app.MapCatChat();
        }
        catch (DataDirectoryException ex)
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw new SettingException(ex.Message);
        }

        return app;
    }

    /// <summary>Builds the host and readies its database; throws <see cref="SettingException"/> for a bad setting or database.</summary>
    public static async Task<WebApplication> CreateAsync(string[] args)
    {
        var app = Build(args);
        try
        {
            await app.InitializeDatabaseAsync();
        }
        catch (DatabaseOpenException ex)
        {
            await app.DisposeAsync();
            throw new SettingException(ex.Message);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>Runs until SIGTERM or Ctrl-C; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await output.WriteAsync(SettingsCatalog.Help());
            return 0;
        }

        if (args.Contains("--version"))
        {
            await output.WriteLineAsync("catchat " + Version);
            return 0;
        }

        WebApplication app;
        try
        {
            app = await CreateAsync(args);
        }
        catch (SettingException ex)
        {
            await error.WriteLineAsync("catchat: " + TerminalSafeLine.Of(ex.Message));
            return ExitBadSetting;
        }

        // Read before running: a host that fails to start disposes its services.
        var options = app.Services.GetRequiredService<CatChatSettings>();
        await using (app)
        {
            try
            {
                await app.RunAsync();
                return 0;
            }
            catch (SettingException ex)
            {
                // A setting that only fails once its listener starts (--chat-transport io_uring where it is refused).
                await error.WriteLineAsync("catchat: " + TerminalSafeLine.Of(ex.Message));
                return ExitBadSetting;
            }
            catch (IOException ex) when (ex.InnerException is AddressInUseException or SocketException || ex.Message.Contains("bind", StringComparison.OrdinalIgnoreCase))
            {
                await error.WriteLineAsync("catchat: " + TerminalSafeLine.Of(DescribeBindFailure(ex, options)));
                return ExitCannotListen;
            }
        }
    }

    // Kestrel and the chat's own transport both name the address they failed on ("tcp://127.0.0.1:1400",
    // "http://[::1]:8080"): name the setting that chose that port, matched as a whole number.
    internal static string DescribeBindFailure(IOException ex, CatChatSettings options)
    {
        var address = FailedAddress().Match(ex.Message);
        if (address.Success && int.TryParse(address.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            var names = PortSettings(options).Where(setting => setting.Port == port).Select(setting => setting.Name).ToList();
            if (names.Count > 0)
            {
                var cause = ex.InnerException?.Message ?? ex.Message;
                return $"cannot listen on port {port} ({string.Join(", ", names)}): {cause}";
            }
        }

        return "cannot listen: " + ex.Message;
    }

    // Every port CatChat listens on, with the switch that sets it; a port that is off is left out.
    private static IEnumerable<(string Name, int Port)> PortSettings(CatChatSettings options)
    {
        yield return ("--chat-port", options.Listener.ChatPort);
        yield return ("--http-port", options.Api.HttpPort);
        if (options.Irc.Port > 0)
        {
            yield return ("--irc-port", options.Irc.Port);
        }

        if (options.Listener.TlsEnabled)
        {
            yield return ("--tls-port", options.Listener.TlsPort);
            if (options.Irc.TlsPort > 0)
            {
                yield return ("--irc-tls-port", options.Irc.TlsPort);
            }
        }
    }

    [GeneratedRegex(@"[a-z]+://(?:\[[^\]]*\]|[^\s/\[\]:]+):(?<port>[0-9]+)")]
    private static partial Regex FailedAddress();
}
