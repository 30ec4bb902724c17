using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;
using CatChat.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CatChat.FrontDoors.Irc;

/// <summary>The IRC front door's Factory: an <see cref="IrcSession"/> for every connection of the plain and TLS IRC ports.</summary>
internal sealed class IrcConnectionHandler(FrontDoorServices shared, IrcOptions irc, ILogger<IrcSession> logger)
    : SessionFactory(shared, logger)
{
    // When this server started, for RPL_CREATED.
    private readonly DateTimeOffset _startedAt = shared.Time.GetUtcNow();

    // One for the plain and the TLS port: Kestrel's endpoint and CatChat's transport are given this same singleton.
    private readonly IrcServerState _state = new(shared.Room.Events);

    // Refused before it is a session: the ERROR an unregistered client would get on closing.
    protected override byte[] RefusalLine(string reason) => LineEncoder.Encode(IrcLine.Build(null, "ERROR", $"Closing Link: *[irc] ({reason})"));

    protected override ChatSession CreateSession(ConnectionContext connection, SessionServices services) =>
        new IrcSession(connection, services, irc, _startedAt, _state);
}
