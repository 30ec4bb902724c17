using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;

namespace CatChat.Testing;

/// <summary>
/// Reads CRLF-terminated lines from the server side of a connection as they arrive and lets a test
/// wait for the line it expects, failing with everything seen so far when it does not come.
/// </summary>
public sealed class LineCollector
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];

    public LineCollector(PipeReader input)
    {
        Completion = Task.Run(() => ReadLinesAsync(input));
    }

    /// <summary>Ends when the server closes the connection (or the read fails).</summary>
    public Task Completion { get; }

    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Waits for the next line equal to <paramref name="exact"/>, passing over others.</summary>
    public Task<string> WaitForLineAsync(string exact) => WaitForLineAsync(line => line == exact, exact);

    public async Task<string> WaitForLineAsync(Func<string, bool> match, string? what = null)
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(timeout.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    if (match(line))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new Xunit.Sdk.XunitException(
            $"Expected a line {what ?? "matching the condition"}; saw:\n" + string.Join("\n", Seen));
    }

    /// <summary>Returns at once if <paramref name="exact"/> was already seen, else waits for it.</summary>
    public Task<string> WaitForSeenAsync(string exact) =>
        Seen.Contains(exact) ? Task.FromResult(exact) : WaitForLineAsync(exact);

    /// <summary>
    /// The first line seen so far that <paramref name="match"/> accepts, else the next one to come: for lines that may
    /// come in either order, or before another wait passed over them.
    /// </summary>
    public Task<string> WaitForSeenAsync(Func<string, bool> match, string what) =>
        Seen.FirstOrDefault(match) is { } seen ? Task.FromResult(seen) : WaitForLineAsync(match, what);

    /// <summary>Every line seen before <paramref name="marker"/>, once the marker has arrived.</summary>
    public async Task<IReadOnlyList<string>> LinesBeforeAsync(string marker)
    {
        await WaitForLineAsync(marker);
        var seen = Seen.ToList();
        return seen.Take(seen.IndexOf(marker)).ToList();
    }

    private async Task ReadLinesAsync(PipeReader input)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                while (TryTakeLine(ref buffer, out var line))
                {
                    lock (_seen)
                    {
                        _seen.Add(line);
                    }

                    _lines.Writer.TryWrite(line);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection was reset or closed under us: the same as the end of the stream here.
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out string line)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out ReadOnlySequence<byte> bytes, "\r\n"u8))
        {
            line = Encoding.UTF8.GetString(bytes);
            buffer = buffer.Slice(reader.Position);
            return true;
        }

        line = string.Empty;
        return false;
    }
}
