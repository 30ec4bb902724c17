namespace CatChat.Protocol;

/// <summary>
/// What a room may be called: <c>#</c> and 1 to 32 ASCII letters, digits, <c>-</c> or <c>_</c>. Names compare
/// without regard to case (<see cref="Comparer"/>); a room keeps the spelling of its first join. Pure.
/// </summary>
public static class RoomName
{
    public const int MaxLength = 32;
    public const char Prefix = '#';

    /// <summary>How room names compare: #Cats and #cats are one room.</summary>
    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>True when <paramref name="text"/> starts like a room name (so a command's first word is one).</summary>
    public static bool LooksLikeOne(string text) => text.Length > 0 && text[0] == Prefix;

    /// <summary>Null when <paramref name="name"/> is a valid room name, else why not, for the user.</summary>
    public static string? Validate(string name)
    {
        if (name.Length < 2 || name[0] != Prefix)
        {
            return "a room name starts with # and has at least one more character";
        }

        if (name.Length - 1 > MaxLength)
        {
            return $"a room name has at most {MaxLength} characters after the #";
        }

        foreach (var c in name.AsSpan(1))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return "a room name has only letters, digits, - and _ after the #";
            }
        }

        return null;
    }
}
