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

    /// <summary>Creates the data directory and finds the token; throws <see cref="DataDirectoryException"/> when the directory or the file cannot be used.</summary>
    public static AdminToken Load(string dataDirectory, Func<string, string?> environment)
    {
        try
        {
            // Whatever the token's source: the database and the dashboard's keys live in the data directory too.
            CreateDataDirectory(dataDirectory);
            var fromEnvironment = environment(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return new AdminToken(fromEnvironment.Trim(), "environment variable " + EnvironmentVariable);
            }

            return LoadFromFile(Path.GetFullPath(Path.Combine(dataDirectory, FileName)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // .NET reports either as "the file already exists", which points the reader the wrong way.
            var reason = File.Exists(dataDirectory) ? "it is a file, not a directory"
                : Directory.Exists(Path.Combine(dataDirectory, FileName)) ? $"its {FileName} is a directory, not a file"
                : ex.Message;
            throw new DataDirectoryException($"invalid setting --data-dir (CatChat:DataDir): cannot use \"{Path.GetFullPath(dataDirectory)}\": {reason}");
        }
    }

    private static void CreateDataDirectory(string dataDirectory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDirectory);
        }
        else
        {
            Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static AdminToken LoadFromFile(string path)
    {
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
