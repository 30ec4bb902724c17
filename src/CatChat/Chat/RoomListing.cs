namespace CatChat.Chat;

/// <summary>A room as <c>/rooms</c> and the API list it: its members on every node, and its topic.</summary>
public sealed record RoomListing(string Name, int Members, string Topic, bool IsDefault);
