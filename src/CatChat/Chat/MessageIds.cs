using System.Globalization;

namespace CatChat.Chat;

/// <summary>Message ids (IRCv3 <c>msgid</c>): unique across nodes and restarts without coordination.</summary>
public static class MessageIds
{
    // A random prefix per process, then a counter: short, cheap, and no two processes share a prefix in practice.
    private static readonly string Prefix = Random.Shared.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
    private static long _counter;

    public static string Next() => Prefix + Interlocked.Increment(ref _counter).ToString("x", CultureInfo.InvariantCulture);
}
