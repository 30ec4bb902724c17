using System.Net;
using CatChat.Chat;
using CatChat.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CatChat.Sessions;

/// <summary>
/// Enforces the connection caps (in total and per IP address) before the chat sees a connection, on every way in:
/// the excess gets one error line and is closed.
/// </summary>
internal sealed class ConnectionAdmission(IOptionsMonitor<SessionLimits> options, ChatMetrics metrics, ILogger<ConnectionAdmission> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private int _total;

    public int Total => Volatile.Read(ref _total);

    /// <summary>
    /// Counts the connection in, or refuses it with one error line, worded by <paramref name="refusalLine"/> in the
    /// front door's own protocol. True when admitted: <see cref="Release"/> must follow when it ends.
    /// </summary>
    public async ValueTask<bool> TryAdmitAsync(ConnectionContext connection, Func<string, byte[]> refusalLine)
    {
        var refusal = TryAdmit(PeerAddress.Of(connection.RemoteEndPoint));
        if (refusal is null)
        {
            return true;
        }

        metrics.ConnectionRefused();
        SessionLog.Refused(logger, connection.ConnectionId, PeerAddress.Describe(connection.RemoteEndPoint), refusal);
        await connection.Transport.Output.WriteAsync(refusalLine(refusal)).ConfigureAwait(false);
        return false;
    }

    /// <summary>Counts an admitted connection out.</summary>
    public void Release(ConnectionContext connection) => Release(PeerAddress.Of(connection.RemoteEndPoint));

    private string? TryAdmit(IPAddress? address)
    {
        var current = options.CurrentValue;
        var limitPerAddress = address is not null && !(current.LoopbackExempt && IPAddress.IsLoopback(address));
        lock (_gate)
        {
            if (_total >= current.MaxConnections)
            {
                return "Server full: too many connections";
            }

            var fromAddress = address is null ? 0 : _perAddress.GetValueOrDefault(address);
            if (limitPerAddress && fromAddress >= current.MaxConnectionsPerIp)
            {
                return "Too many connections from your address";
            }

            _total++;
            if (address is not null)
            {
                _perAddress[address] = fromAddress + 1;
            }

            return null;
        }
    }

    private void Release(IPAddress? address)
    {
        lock (_gate)
        {
            _total--;
            if (address is not null && _perAddress.TryGetValue(address, out var count))
            {
                if (count <= 1)
                {
                    _perAddress.Remove(address);
                }
                else
                {
                    _perAddress[address] = count - 1;
                }
            }
        }
    }
}
