namespace CatChat.Connections;

/// <summary>
/// A transport told by its <see cref="ChatSession"/> when the session is over (the talk's connectionLost, seen
/// from below). CatChat's own listener uses it instead of awaiting the session's task: an async method suspended
/// for the life of every idle connection would cost each one a heap box.
/// </summary>
internal interface ISessionEndListener
{
    void OnSessionEnded();
}
