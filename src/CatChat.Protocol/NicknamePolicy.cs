namespace CatChat.Protocol;

/// <summary>
/// Which nicknames are allowed: 1 to <see cref="MaxLength"/> ASCII letters, digits, '_' and '-',
/// and none of the reserved names. ASCII only, so no look-alike, bidi or zero-width tricks.
/// Uniqueness is the chat room's business; this only judges the name itself.
/// </summary>
public sealed class NicknamePolicy
{
    public const int DefaultMaxLength = 24;

    public static readonly IReadOnlyList<string> DefaultReserved =
        ["admin", "administrator", "server", "system", "root", "catchat", "operator", "moderator", "nobody", "you"];

    private readonly HashSet<string> _reserved;

    public NicknamePolicy(int maxLength = DefaultMaxLength, IEnumerable<string>? reserved = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        MaxLength = maxLength;
        _reserved = new HashSet<string>(reserved ?? DefaultReserved, StringComparer.OrdinalIgnoreCase);
    }

    public int MaxLength { get; }

    /// <summary>Returns why <paramref name="name"/> is not allowed as a name to take, or null if it is.</summary>
    public string? Validate(string name)
    {
        if (ShapeProblem(name) is { } problem)
        {
            return problem;
        }

        if (IsGuestName(name))
        {
            // The server names newcomers so; a user who took one could pass for a stranger who just arrived.
            return $"names like {name} are given by the server to newcomers";
        }

        return _reserved.Contains(name) ? $"the nickname {name} is reserved" : null;
    }

    /// <summary>Whether <paramref name="name"/> could be someone's nickname, a guest's or a reserved one included.</summary>
    public bool IsWellFormed(string name) => ShapeProblem(name) is null;

    /// <summary>"guest-" and digits, whatever the case: the names the server gives newcomers.</summary>
    public static bool IsGuestName(string name) =>
        name.Length > GuestPrefix.Length
        && name.StartsWith(GuestPrefix, StringComparison.OrdinalIgnoreCase)
        && name.AsSpan(GuestPrefix.Length).IndexOfAnyExceptInRange('0', '9') < 0;

    public const string GuestPrefix = "guest-";

    private string? ShapeProblem(string name)
    {
        if (name.Length == 0)
        {
            return "a nickname needs at least one character";
        }

        if (name.Length > MaxLength)
        {
            return $"a nickname has at most {MaxLength} characters";
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return "a nickname may contain only ASCII letters, digits, '_' and '-'";
            }
        }

        return null;
    }
}
