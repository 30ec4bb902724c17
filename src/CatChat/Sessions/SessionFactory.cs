using CatChat.Chat;
using CatChat.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CatChat.Sessions;

/// <summary>
/// The talk's Factory, the part every front door shares: one per front door, called for every connection it
/// accepts; it admits the connection (or refuses it with one line), has the front door build its
/// <see cref="ChatSession"/>, and holds no per-connection state. Kestrel's endpoints (TLS) call
/// <see cref="OnConnectedAsync"/> and await it; CatChat's own socket transport calls <see cref="Serve"/>, which holds
/// no task for the life of an idle connection. Both take the same steps.
/// </summary>
internal abstract class SessionFactory(FrontDoorServices shared, ILogger logger) : ConnectionHandler
{
    private readonly FlushLanes _lanes = shared.Lanes ?? FlushLanes.Uncoalesced;
    private readonly ConnectionAdmission? _admission = shared.Admission;
    private Action<ConnectionContext>? _ended; // One delegate for every connection, not one each.
    private Func<string, byte[]>? _refusalLine; // The same.
    private SessionServices? _awaited;
    private SessionServices? _notifying;

    /// <summary>The front door's protocol for one connection.</summary>
    protected abstract ChatSession CreateSession(ConnectionContext connection, SessionServices services);

    /// <summary>
    /// The one line a refused connection gets, encoded, in the front door's protocol; by default a chat error line
    /// (which the web door wraps in a message of its own).
    /// </summary>
    protected virtual byte[] RefusalLine(string reason) => LineEncoder.Encode(ChatLine.Error(reason + ". Try again later."));

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        if (_admission is not null && !await _admission.TryAdmitAsync(connection, _refusalLine ??= RefusalLine).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await Create(connection, Services(ref _awaited, ended: null)).RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _admission?.Release(connection);
        }
    }

    /// <summary>
    /// Admits and starts a session for a connection of CatChat's own transport; the connection is disposed once the
    /// session is over (or at once, if it is refused). Never throws.
    /// </summary>
    public void Serve(ConnectionContext connection)
    {
        try
        {
            var admitted = _admission?.TryAdmitAsync(connection, _refusalLine ??= RefusalLine) ?? new ValueTask<bool>(true);
            if (!admitted.IsCompletedSuccessfully)
            {
                _ = ServeAfterAdmissionAsync(connection, admitted);
            }
            else if (admitted.Result)
            {
                StartSession(connection);
            }
            else
            {
                _ = connection.DisposeAsync(); // Refused: its one error line has been written.
            }
        }
        catch (Exception ex)
        {
            SessionLog.ServeFailed(logger, connection.ConnectionId, ex);
            _ = connection.DisposeAsync();
        }
    }

    // Admission had to wait for its refusal line to leave (or failed): the rare path, awaited.
    private async Task ServeAfterAdmissionAsync(ConnectionContext connection, ValueTask<bool> admitted)
    {
        try
        {
            if (await admitted.ConfigureAwait(false))
            {
                StartSession(connection);
                return;
            }
        }
        catch (Exception ex)
        {
            SessionLog.ServeFailed(logger, connection.ConnectionId, ex);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private void StartSession(ConnectionContext connection)
    {
        try
        {
            // The session calls Ended when it is over, whatever way it ends.
            _ = Create(connection, Services(ref _notifying, _ended ??= Ended)).RunAsync();
        }
        catch (Exception ex)
        {
            SessionLog.ServeFailed(logger, connection.ConnectionId, ex);
            Ended(connection);
        }
    }

    private ChatSession Create(ConnectionContext connection, SessionServices services)
    {
        var session = CreateSession(connection, services);
        (connection as IOwnFramesConnection)?.RouteFramesTo(session);
        return session;
    }

    private void Ended(ConnectionContext connection)
    {
        _admission?.Release(connection);
        _ = connection.DisposeAsync(); // CatChat's own transport closes the socket synchronously here.
    }

    // Each connection takes the settings as they are when it arrives: one shared object per settings in force.
    private SessionServices Services(ref SessionServices? cached, Action<ConnectionContext>? ended)
    {
        var currentChat = shared.ChatOptions.CurrentValue;
        var current = shared.Limits.CurrentValue;
        var services = Volatile.Read(ref cached);
        if (services is null || !ReferenceEquals(services.Options, current) || !ReferenceEquals(services.ChatOptions, currentChat))
        {
            services = new SessionServices(shared.Room, currentChat, current, shared.Time, logger, shared.Store, _lanes, ended);
            Volatile.Write(ref cached, services);
        }

        return services;
    }
}
