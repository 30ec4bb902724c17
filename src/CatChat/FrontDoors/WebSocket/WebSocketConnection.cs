using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using CatChat.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// Makes a WebSocket look like the line connections every other front door serves (the adapter): each message the
/// client sends becomes one line of <see cref="ConnectionContext.Transport"/>'s input, and what the session writes
/// leaves as messages: whole text frames the session made (the web chat's JSON, <see cref="WebJson"/>) through
/// <see cref="TextFrameWriter"/>, or lines, each framed as a message of its own (IRC, <see cref="LineMessageWriter"/>);
/// a flush's worth in one write. So admission, the outbox and its cap, flood control (by not reading, which stops this
/// adapter receiving) and closing are the sessions' own, unchanged. An idle socket holds no buffer: it waits with a
/// zero-byte receive, and the pipes hold memory only while bytes pass through them.
/// </summary>
internal sealed class WebSocketConnection : ConnectionContext, IOwnFramesConnection
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
    private readonly MessageFraming _framing;
    private ChatSession? _session;
    // Never disposed: Abort may come from another connection's broadcast after the session has ended.
    private readonly CancellationTokenSource _closed = new();
    private IFeatureCollection? _features;
    private IDictionary<object, object?>? _items;

    /// <param name="stream">The stream under the socket, which the chat's frames share with the socket's own.</param>
    /// <param name="framing">How the session's output becomes messages, and what becomes of a binary message.</param>
    public WebSocketConnection(System.Net.WebSockets.WebSocket socket, SerialWriteStream stream, string connectionId, IPAddress? address, int port, MessageFraming framing = MessageFraming.SessionFrames)
    {
        _socket = socket;
        _stream = stream;
        _output = new TextFrameWriter(stream);
        _framing = framing;
        ConnectionId = connectionId;
        RemoteEndPoint = address is null ? null : new IPEndPoint(address, port);
        PipeWriter output = framing == MessageFraming.SessionFrames ? _output : new LineMessageWriter(_output, binary: framing == MessageFraming.BinaryLines);
        Transport = new DuplexPipe(_input.Reader, output);
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

    /// <summary>
    /// The server is stopping: a socket whose user is not in the chat yet (at the nickname form, or not registered) is
    /// no member, so the chat's own shutdown, which says goodbye to members and closes their sockets, will not close it.
    /// </summary>
    public void AbortIfNotInChat()
    {
        if (Volatile.Read(ref _session)?.InChat != true)
        {
            Abort(new ConnectionAbortedException("server shutting down"));
        }
    }

    /// <summary>
    /// The WebSocket object's own frames are queued in <paramref name="session"/>'s outbox until it ends; a close as
    /// the last frame, as RFC 6455 lets nothing follow it (chat messages after it are dropped).
    /// </summary>
    public void RouteFramesTo(ChatSession session)
    {
        Volatile.Write(ref _session, session);
        _stream.RouteFramesTo(frame => session.QueueConnectionFrame(frame, last: TextFrame.IsCloseFrame(frame)));
    }

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

    // Client to session: each message's bytes, then a newline. Newlines inside a message become spaces, so a message
    // stays one line: in JSON they are whitespace (or invalid in a string anyway), and in IRC they would smuggle in a
    // second command.
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
                    if (received.Count > 0 && (received.MessageType == WebSocketMessageType.Text || _framing != MessageFraming.SessionFrames))
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

                // A binary message's bytes are dropped where the session reads JSON (the marker line goes at its end);
                // a line protocol takes them as they are, to check as it checks any line.
                binary |= received.MessageType == WebSocketMessageType.Binary && _framing == MessageFraming.SessionFrames;
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
