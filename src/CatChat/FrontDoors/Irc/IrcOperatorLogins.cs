using System.Security.Cryptography;
using System.Text;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// The names and passwords that make an IRC client an IRC operator (<c>OPER name password</c>), from
/// <c>--irc-operators</c>: <c>name:password</c> pairs separated by commas. A password is checked in constant time,
/// against every login, so how long an answer takes says nothing about which part was wrong.
/// </summary>
public sealed class IrcOperatorLogins
{
    private readonly (string Name, byte[] PasswordHash)[] _logins;

    private IrcOperatorLogins((string Name, byte[] PasswordHash)[] logins) => _logins = logins;

    /// <summary>Nobody may become an IRC operator (the default).</summary>
    public static IrcOperatorLogins None { get; } = new([]);

    public int Count => _logins.Length;

    /// <summary>Reads <c>name:password,name:password</c>; throws <see cref="FormatException"/>, never quoting a password.</summary>
    public static IrcOperatorLogins Parse(string text)
    {
        var logins = new List<(string, byte[])>();
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? pair : pair[..colon];
            if (colon <= 0 || colon == pair.Length - 1)
            {
                throw new FormatException("is not a comma-separated list of name:password pairs");
            }

            if (name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                throw new FormatException($"names an operator \"{name}\": a name is 1 to 64 ASCII letters, digits, '.', '_' and '-'");
            }

            if (logins.Any(login => string.Equals(login.Item1, name, StringComparison.Ordinal)))
            {
                throw new FormatException($"names the operator \"{name}\" twice");
            }

            logins.Add((name, Hash(pair[(colon + 1)..])));
        }

        return logins.Count == 0 ? None : new IrcOperatorLogins([.. logins]);
    }

    /// <summary>True when <paramref name="name"/> and <paramref name="password"/> are one of the logins.</summary>
    public bool Check(string name, string password)
    {
        // Hashing first gives equal lengths to compare; every login is compared, matching name or not.
        var given = Hash(password);
        var match = false;
        foreach (var (loginName, passwordHash) in _logins)
        {
            var passwordMatches = CryptographicOperations.FixedTimeEquals(given, passwordHash);
            match |= passwordMatches && string.Equals(loginName, name, StringComparison.Ordinal);
        }

        return match;
    }

    private static byte[] Hash(string password) => SHA256.HashData(Encoding.UTF8.GetBytes(password));
}
