using CatChat.Chat;

namespace CatChat.Backplane;

/// <summary>Starts the backplane with the host and stops it after the room's shutdown notice has gone out.</summary>
internal sealed class BackplaneService(RedisBackplane backplane, ChatRoom room) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => backplane.StartAsync(room, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => backplane.StopAsync();
}
