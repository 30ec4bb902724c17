namespace CatChat.Persistence;

/// <summary>The database could not be opened or migrated at start; the message names the setting and says why.</summary>
public sealed class DatabaseOpenException(string message) : Exception(message);
