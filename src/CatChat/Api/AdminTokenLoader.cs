using System.Security.Cryptography;

namespace CatChat.Api;

/// <summary>
/// Finds the admin token: the environment variable <c>CATCHAT_ADMIN_TOKEN</c>, else the file
/// <c>admin-token</c> in the data directory, which is created on first start with a random token
/// and permissions that let only its owner read it.
/// </summary>
internal static class AdminTokenLoader
{
    public const string EnvironmentVariable = "CATCHAT_ADMIN_TOKEN";
    public const string FileName = "admin-token";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static AdminToken Load(string dataDirectory, Func<string, string?> environment)
    {
        var fromEnvironment = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new AdminToken(fromEnvironment.Trim(), "environment variable " + EnvironmentVariable);
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDirectory);
        }
        else
        {
            Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var path = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        if (!File.Exists(path))
        {
            WriteNewToken(path);
        }
        else if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }

        return new AdminToken(File.ReadAllText(path).Trim(), path);
    }

    private static void WriteNewToken(string path)
    {
        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using var writer = new StreamWriter(path, options);
            writer.WriteLine(token);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; its token stands.
        }
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
