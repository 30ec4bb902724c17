using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// Makes a WebSocket look like the line connections every other front door serves (the adapter): each text message
/// the browser sends becomes one line of <see cref="ConnectionContext.Transport"/>'s input, and each message the
/// session writes (already a whole text frame, <see cref="WebJson"/>) leaves through <see cref="TextFrameWriter"/>, a
/// flush's worth in one write. So admission, the outbox and its cap, flood control (by not reading, which stops this
/// adapter receiving) and closing are the sessions' own, unchanged. An idle socket holds no buffer: it waits with a
/// zero-byte receive, and the pipes hold memory only while bytes pass through them.
/// </summary>
internal sealed class WebSocketConnection : ConnectionContext
{
    /// <summary>The line written for a binary message, which the session answers with an error (no JSON starts with it).</summary>
    public const byte BinaryMarker = 0x01;

    // Bytes received per read: a message longer than this arrives in several.
    private const int ReceiveChunkBytes = 4096;

    // Backpressure: this much unread in either pipe stops its writer, so a flood or a slow reader is held where it is.
    private const long PipePauseBytes = 64 * 1024;

    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly System.Net.WebSockets.WebSocket _socket;
    private readonly SerialWriteStream _stream;
    private readonly Pipe _input = NewPipe();
    private readonly TextFrameWriter _output;
    // Never disposed: Abort may come from another connection's broadcast after the session has ended.
    private readonly CancellationTokenSource _closed = new();
    private IFeatureCollection? _features;
    private IDictionary<object, object?>? _items;

    /// <param name="stream">The stream under the socket, which the chat's frames share with the socket's own.</param>
    public WebSocketConnection(System.Net.WebSockets.WebSocket socket, SerialWriteStream stream, string connectionId, IPAddress? address, int port)
    {
        _socket = socket;
        _stream = stream;
        _output = new TextFrameWriter(stream);
        ConnectionId = connectionId;
        RemoteEndPoint = address is null ? null : new IPEndPoint(address, port);
        Transport = new DuplexPipe(_input.Reader, _output);
        ConnectionClosed = _closed.Token;
    }

    public override string ConnectionId { get; set; }

    // Made only if someone asks: the sessions never do, and an idle socket should not carry them.
    public override IFeatureCollection Features => _features ??= new FeatureCollection();

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new Dictionary<object, object?>();
        set => _items = value;
    }

    public override IDuplexPipe Transport { get; set; }

    /// <summary>Set once the visitor has joined: from then on the chat's own shutdown says goodbye and closes the socket.</summary>
    public bool InChat
    {
        get => Volatile.Read(ref _inChat);
        set => Volatile.Write(ref _inChat, value);
    }

    private bool _inChat;

    /// <summary>The server is stopping: a socket still at the nickname form is no member, so nobody else closes it.</summary>
    public void AbortIfNotInChat()
    {
        if (!InChat)
        {
            Abort(new ConnectionAbortedException("server shutting down"));
        }
    }

    /// <summary>The WebSocket object's own frames are queued with <paramref name="queue"/> (the session's outbox) until the session ends.</summary>
    public void RouteFramesTo(Func<byte[], bool> queue) => _stream.RouteFramesTo(queue);

    /// <summary>Tears the socket down at once: the sessions' slow-consumer and abort paths end here.</summary>
    public override void Abort(ConnectionAbortedException abortReason)
    {
        _socket.Abort();
        _input.Writer.CancelPendingFlush();
        _output.Abort();
        _closed.Cancel();
    }

    /// <summary>Runs the session over the socket, with the receiving pump beside it; returns when both are done.</summary>
    public async Task RunAsync(Func<ConnectionContext, Task> session)
    {
        var receiving = ReceiveAsync();
        try
        {
            await session(this).ConfigureAwait(false);
        }
        finally
        {
            // The session has flushed its last line: close, and give the browser a moment to answer. The close goes
            // straight to the socket, unless the outbox's last flush is still stuck there (a reader that stopped).
            await _output.CompleteAsync().ConfigureAwait(false);
            if (_output.IsFlushing)
            {
                _socket.Abort();
            }
            else
            {
                _stream.StopRoutingFrames();
                await CloseAsync().ConfigureAwait(false);
            }

            // Nothing reads the input now: a receive held back by a full pipe ends here, one waiting for the
            // browser's close frame below.
            await _input.Reader.CompleteAsync().ConfigureAwait(false);
            if (await Task.WhenAny(receiving, Task.Delay(CloseHandshakeTimeout)).ConfigureAwait(false) != receiving)
            {
                _socket.Abort();
                await receiving.ConfigureAwait(false);
            }
        }
    }

    // Browser to session: each message's bytes, then a newline. Newlines inside a message are JSON whitespace (or
    // invalid in a string anyway), so they become spaces and a message stays one line.
    private async Task ReceiveAsync()
    {
        var writer = _input.Writer;
        var binary = false;
        var endsInsideCharacter = false;
        try
        {
            while (true)
            {
                // Waits for data holding no buffer; only then is one taken from the pipe. The wait itself may end a
                // message (an empty one, or a close) with no payload left to read.
                var received = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                if (received.MessageType != WebSocketMessageType.Close && !received.EndOfMessage)
                {
                    var memory = writer.GetMemory(ReceiveChunkBytes);
                    received = await _socket.ReceiveAsync(memory, CancellationToken.None).ConfigureAwait(false);
                    if (received.MessageType == WebSocketMessageType.Text && received.Count > 0)
                    {
                        var chunk = memory.Span[..received.Count];
                        endsInsideCharacter = Utf8Tail.EndsInsideCharacter(chunk);
                        chunk.Replace((byte)'\n', (byte)' ');
                        chunk.Replace((byte)'\r', (byte)' ');
                        writer.Advance(received.Count);
                    }
                }

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                // The WebSocket object checks a text message's UTF-8 as it reads, but not at the end of one whose
                // last frame is empty: a character cut off there would pass, and the next message be refused for it.
                if (received.EndOfMessage && received.MessageType == WebSocketMessageType.Text && endsInsideCharacter)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.InvalidPayloadData, "invalid UTF-8", CancellationToken.None).ConfigureAwait(false);
                    break;
                }

                if (received.EndOfMessage)
                {
                    endsInsideCharacter = false;
                }

                // A binary message's bytes are dropped; the marker line goes at its end.
                binary |= received.MessageType == WebSocketMessageType.Binary;
                if (received.EndOfMessage)
                {
                    if (binary)
                    {
                        writer.Write([BinaryMarker]);
                        binary = false;
                    }

                    writer.Write([WebJson.Separator]);
                }

                // Every chunk, not only a message's end: a long message is then framed (and an overlong one dropped)
                // as it arrives, and a full pipe stops the receiving.
                var flushed = await writer.FlushAsync().ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (ConnectionAbortedException) when (!_closed.IsCancellationRequested && _socket.State == WebSocketState.Aborted)
        {
            // Nobody here tore the socket down, so the WebSocket object did: its keep-alive ping went unanswered.
            await writer.CompleteAsync(new TimeoutException("no answer to the keep-alive ping")).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The browser went away, or sent what the WebSocket protocol forbids (invalid UTF-8, a bad frame): the
            // socket has already told it why with its close code. The session sees the end of its input.
            await writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task CloseAsync()
    {
        if (_closed.IsCancellationRequested || _socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            _socket.Abort(); // Nothing more can reach the browser.
        }
    }

    private static Pipe NewPipe() =>
        new(new PipeOptions(pauseWriterThreshold: PipePauseBytes, resumeWriterThreshold: PipePauseBytes / 2, useSynchronizationContext: false));

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
