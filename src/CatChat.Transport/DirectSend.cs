using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CatChat.Transport;

/// <summary>
/// A Kestrel listener whose connections send from the thread that flushes (<see cref="DirectSocketOutput"/>): what
/// a WebSocket's many small flushes cost then is a send each, as on CatChat's own sockets, not a send plus a
/// thread hop. Receiving stays Kestrel's.
/// </summary>
public static class DirectSend
{
    /// <summary>
    /// Puts the direct output under everything else on <paramref name="listen"/>: call it before <c>UseHttps</c>,
    /// which then encrypts into it. A connection that is not a plain Kestrel socket keeps its own output.
    /// </summary>
    public static ListenOptions UseDirectSend(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => async connection =>
        {
            // Already under TLS means a middleware was put before this one: sending around it would bypass it.
            if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } socket
                || connection.Features.Get<ITlsConnectionFeature>() is not null)
            {
                await next(connection).ConfigureAwait(false);
                return;
            }

            var original = connection.Transport;
            var output = new DirectSocketOutput(socket);
            connection.Transport = new DuplexPipe(original.Input, output);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                // Kestrel completes and closes its own pipes and the socket once this returns.
                connection.Transport = original;
                await output.CompleteAsync().ConfigureAwait(false);
            }
        });
        return listen;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
