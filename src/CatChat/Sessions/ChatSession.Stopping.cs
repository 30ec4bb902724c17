using Microsoft.AspNetCore.Connections;

namespace CatChat.Sessions;

/// <summary>Stopping a session: why it closed, a graceful close, an abort, and ending the pending read, from any thread.</summary>
internal abstract partial class ChatSession
{
    protected void SetCloseReason(string reason) => Interlocked.CompareExchange(ref _closeReason, reason, null);

    /// <summary>How a read or the protocol failed, as the reason the connection closed; never throws.</summary>
    protected void OnFailed(Exception exception)
    {
        switch (exception)
        {
            case OperationCanceledException when StopRequested:
                break; // A flood delay or a database call cut short by Close or Abort, which named the reason.
            case ConnectionResetException or IOException:
                SetCloseReason(CloseReasons.ConnectionReset);
                break;
            case TimeoutException:
                // The front door's own keep-alive (a WebSocket's ping) went unanswered.
                SetCloseReason(CloseReasons.PingTimeout);
                break;
            case System.Net.Sockets.SocketException or ConnectionAbortedException:
                // Keepalive gave up on a vanished peer (ETIMEDOUT), or the transport was torn down under us.
                SetCloseReason(CloseReasons.ConnectionLost);
                break;
            default:
                SessionLog.Failed(Logger, _member.ConnectionId, _member.RemoteAddress, _member.Nick, exception);
                SetCloseReason("internal error");
                break;
        }
    }

    /// <summary>Close without sending what is queued, once the read side has ended (a browser's HTTP request, say).</summary>
    protected void AbortWhenDone(string reason)
    {
        SetCloseReason(reason);
        _abortRequested = true;
    }

    private void Abort(string reason)
    {
        SetCloseReason(reason);
        _abortRequested = true;

        // Called from some other connection's broadcast: tear down on the thread pool, never inline.
        ThreadPool.UnsafeQueueUserWorkItem(
            session =>
            {
                session.RequestStop();
                session._outbox.Abort();
                session._connection.Abort(new ConnectionAbortedException(reason));
            },
            this,
            preferLocal: false);
    }

    // Close and Abort may come from other threads after this session has ended and disposed its sources.
    private static void TryCancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    // Ends the pending read (the transport's CancelPendingRead costs an idle connection nothing, unlike a token).
    private void RequestStop()
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) != 0)
        {
            return;
        }

        _connection.Transport.Input.CancelPendingRead();
        if (Volatile.Read(ref _stopSource) is { } source)
        {
            TryCancel(source);
        }
    }
}
