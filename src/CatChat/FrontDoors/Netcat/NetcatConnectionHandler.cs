using CatChat.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace CatChat.FrontDoors.Netcat;

/// <summary>The netcat front door's Factory: a <see cref="NetcatSession"/> for every connection of the plain and TLS chat ports.</summary>
internal sealed class NetcatConnectionHandler(FrontDoorServices shared, ILogger<NetcatSession> logger)
    : SessionFactory(shared, logger)
{
    protected override ChatSession CreateSession(ConnectionContext connection, SessionServices services) => new NetcatSession(connection, services);
}
