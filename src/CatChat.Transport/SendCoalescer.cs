using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CatChat.Transport;

/// <summary>
/// Lets many connections' writes leave together, behind their writers. Between <see cref="Begin"/> and
/// <see cref="End"/> on one thread, each of this transport's socket writers notes its first write since its last
/// flush; <see cref="Submit"/> makes all those sends in one <c>io_uring_enter</c> (<see cref="SendBatch"/>), so the
/// flushes that follow find their bytes gone and complete at once. Wake-ups of io_uring rings asked for meanwhile
/// are made once, at <see cref="End"/>. Without batching (turned off, or io_uring refused), each flush sends on its own.
/// A caller that never begins a scope sees plain writers.
/// </summary>
public sealed class SendCoalescer : IDisposable
{
    [ThreadStatic]
    private static Gathering? t_current;

    // One per thread that is gathering at a time: as many as the lanes that drain at once, each with its own ring.
    private readonly ConcurrentStack<Gathering> _idle = new();
    private volatile bool _batching;

    private SendCoalescer(bool batching) => _batching = batching;

    /// <summary>True while sends are batched (false when off, refused by the kernel, or after a ring failed).</summary>
    public bool Batching => _batching;

    /// <summary>System calls made to submit batches so far, for tests and the curious.</summary>
    public long Submissions => Interlocked.Read(ref _submissions);

    private long _submissions;

    /// <summary>
    /// A coalescer that batches when <paramref name="batching"/> asks and io_uring is available: one ring is made and
    /// dropped here, so a machine without io_uring says so once, in the log, at start-up.
    /// </summary>
    public static SendCoalescer Create(bool batching, ILogger logger)
    {
        if (!batching)
        {
            return new SendCoalescer(false);
        }

        using var probe = SendBatch.TryCreate(out var reason);
        if (probe is null)
        {
            TransportLog.SendBatchingUnavailable(logger, reason!);
        }

        return new SendCoalescer(probe is not null);
    }

    /// <summary>A coalescer over one given batch (tests drive its ring directly).</summary>
    internal static SendCoalescer Over(SendBatch batch)
    {
        var coalescer = new SendCoalescer(true);
        coalescer._idle.Push(new Gathering(batch));
        return coalescer;
    }

    /// <summary>Starts gathering this thread's sends and wake-ups. Scopes do not nest.</summary>
    public void Begin()
    {
        WakeDeferral.Begin();
        if (_batching)
        {
            t_current = _idle.TryPop(out var gathering) ? gathering : new Gathering(null);
        }
    }

    /// <summary>Makes every send noted on this thread since <see cref="Begin"/> or the last submit, in one system call.</summary>
    public void Submit()
    {
        if (t_current is not { } gathering)
        {
            return;
        }

        if (!gathering.Submit(ref _submissions))
        {
            // The ring failed (not expected): this send and every later one go out on their own.
            _batching = false;
        }
    }

    /// <summary>Submits what is left, stops gathering on this thread and makes the wake-ups it put off.</summary>
    public void End()
    {
        try
        {
            Submit();
        }
        finally
        {
            if (t_current is { } gathering)
            {
                t_current = null;
                if (gathering.Usable)
                {
                    _idle.Push(gathering);
                }
                else
                {
                    gathering.Dispose();
                }
            }

            WakeDeferral.End();
        }
    }

    /// <summary>A writer's first write since its last flush: noted for the next submit when this thread is gathering.</summary>
    internal static void Note(IStagedSend writer) => t_current?.Add(writer);

    public void Dispose()
    {
        _batching = false;
        while (_idle.TryPop(out var gathering))
        {
            gathering.Dispose();
        }
    }

    /// <summary>One thread's writers with something to send, and the batch that sends them.</summary>
    private sealed class Gathering(SendBatch? batch) : IDisposable
    {
        private readonly List<IStagedSend> _writers = [];
        private SendBatch? _batch = batch;
        private bool _unavailable;

        public bool Usable => !_unavailable;

        public void Add(IStagedSend writer) => _writers.Add(writer);

        // False once its ring has failed or cannot be made.
        public bool Submit(ref long submissions)
        {
            if (_writers.Count == 0)
            {
                return Usable;
            }

            var batch = _batch ??= _unavailable ? null : SendBatch.TryCreate(out _);
            if (batch is null)
            {
                _unavailable = true;
                _writers.Clear(); // Their flushes send on their own.
                return false;
            }

            foreach (var writer in _writers)
            {
                writer.TryStageSend(batch);
            }

            _writers.Clear();
            var before = batch.Submissions;
            batch.Submit();
            Interlocked.Add(ref submissions, batch.Submissions - before);
            if (batch.Broken)
            {
                _unavailable = true;
                return false;
            }

            return true;
        }

        public void Dispose() => _batch?.Dispose();
    }
}
