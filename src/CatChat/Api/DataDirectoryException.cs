namespace CatChat.Api;

/// <summary>The data directory, or the admin token file in it, could not be used at start; the message names the setting and says why.</summary>
public sealed class DataDirectoryException(string message) : Exception(message);
