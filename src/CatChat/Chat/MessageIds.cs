using System.Globalization;

namespace CatChat.Chat;

/// <summary>Message ids (IRCv3 <c>msgid</c>): unique across nodes and restarts without coordination.</summary>
public static class MessageIds
{
    // A random prefix per process, then a counter: short, cheap, and no two processes share a prefix in practice.
    private static readonly string Prefix = Random.Shared.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
    private static long _counter;

    /// <summary>The longest id accepted from outside (an IRC tag value, an API address).</summary>
    public const int MaxLength = 64;

    public static string Next() => Prefix + Interlocked.Increment(ref _counter).ToString("x", CultureInfo.InvariantCulture);

    /// <summary>True when <paramref name="id"/> could be one: 1 to 64 of ASCII letters, digits and <c>._:-</c>.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: > 0 and <= MaxLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');
}
