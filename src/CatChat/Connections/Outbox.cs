using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using CatChat.Chat;

namespace CatChat.Connections;

/// <summary>
/// The one writer of a connection. Anyone may queue encoded lines without waiting; the connection's
/// own writer loop copies whatever has queued into the transport and flushes once, so a burst of
/// broadcasts leaves in one write. Bytes queued and not yet flushed are capped: past the cap the
/// recipient is a slow consumer and <paramref name="onOverflow"/> is called once; no sender ever waits.
/// </summary>
internal sealed class Outbox(long capacityBytes, Action onOverflow, ChatMetrics? metrics = null) : IOutbox
{
    // Flush at least every 64 KiB so a huge backlog does not become one giant pipe buffer.
    private const int MaxBytesPerFlush = 64 * 1024;

    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private long _pendingBytes;
    private int _overflowed;

    /// <summary>Bytes queued and not yet handed to the transport.</summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    public bool TryEnqueue(byte[] encodedLine)
    {
        if (Volatile.Read(ref _overflowed) != 0)
        {
            return false;
        }

        if (Interlocked.Add(ref _pendingBytes, encodedLine.Length) > capacityBytes)
        {
            Interlocked.Add(ref _pendingBytes, -encodedLine.Length);
            if (Interlocked.Exchange(ref _overflowed, 1) == 0)
            {
                onOverflow();
            }

            return false;
        }

        if (!_queue.Writer.TryWrite(encodedLine))
        {
            Interlocked.Add(ref _pendingBytes, -encodedLine.Length);
            return false;
        }

        return true;
    }

    /// <summary>No more lines will be accepted; the writer ends once it has flushed what is queued.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>The writer loop: runs until <see cref="Complete"/> and the queue is drained, or the transport closes.</summary>
    public async Task RunWriterAsync(PipeWriter output, CancellationToken abort)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(abort).ConfigureAwait(false))
        {
            long batch = 0;
            while (batch < MaxBytesPerFlush && reader.TryRead(out var line))
            {
                output.Write(line.AsSpan());
                batch += line.Length;
            }

            // Handed to the transport: from here its bounded pipe and FlushAsync do the pushing back.
            Interlocked.Add(ref _pendingBytes, -batch);
            var result = await output.FlushAsync(abort).ConfigureAwait(false);
            metrics?.Sent(batch);
            if (result.IsCompleted || result.IsCanceled)
            {
                return;
            }
        }
    }
}
