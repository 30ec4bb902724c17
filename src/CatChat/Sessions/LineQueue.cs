namespace CatChat.Sessions;

/// <summary>
/// A FIFO of encoded lines built from fixed-size segments shared through a process-wide pool. An empty
/// queue holds no segment, so an idle connection pays two references; a queue of one line keeps it in the
/// head reference itself, so the common case of a fan-out (one line in, flushed before the next) never
/// touches the pool's lock; a busy one reuses pooled segments instead of growing and trimming an array of
/// its own. Not thread-safe: <see cref="Outbox"/> locks around it.
/// </summary>
internal struct LineQueue
{
    // Null, a lone line (byte[]) with no segment, or the first Segment.
    private object? _head;
    private Segment? _tail;

    public int Count { get; private set; }

    public void Enqueue(byte[] line)
    {
        if (_head is null)
        {
            _head = line;
            Count = 1;
            return;
        }

        if (_head is byte[] lone)
        {
            var first = SegmentPool.Rent();
            first.Lines[first.End++] = lone;
            _head = _tail = first;
        }

        if (_tail!.End == Segment.Capacity)
        {
            var segment = SegmentPool.Rent();
            _tail.Next = segment;
            _tail = segment;
        }

        _tail.Lines[_tail.End++] = line;
        Count++;
    }

    /// <summary>The line <see cref="TryDequeue"/> would take next, left in place.</summary>
    public readonly bool TryPeek(out byte[] line)
    {
        switch (_head)
        {
            case byte[] lone:
                line = lone;
                return true;
            case Segment head when head.Start != head.End:
                line = head.Lines[head.Start]!;
                return true;
            default:
                line = null!;
                return false;
        }
    }

    public bool TryDequeue(out byte[] line)
    {
        switch (_head)
        {
            case byte[] lone:
                line = lone;
                _head = null;
                Count = 0;
                return true;
            case Segment head when head.Start != head.End:
                line = head.Lines[head.Start]!;
                head.Lines[head.Start++] = null;
                Count--;
                if (head.Start == head.End && (head.End == Segment.Capacity || ReferenceEquals(head, _tail)))
                {
                    // Used up: hand the segment back and move on (or become empty).
                    _head = head.Next;
                    if (_head is null)
                    {
                        _tail = null;
                    }

                    SegmentPool.Return(head);
                }

                return true;
            default:
                line = null!;
                return false;
        }
    }

    private sealed class Segment
    {
        public const int Capacity = 32;

        public readonly byte[]?[] Lines = new byte[Capacity][];
        public int Start;
        public int End;
        public Segment? Next;
    }

    // Bounded so a past burst to thousands of slow clients does not stay parked here forever.
    private static class SegmentPool
    {
        private const int MaxPooled = 4096;
        private static readonly Stack<Segment> Pooled = new();
        private static readonly Lock Gate = new();

        public static Segment Rent()
        {
            lock (Gate)
            {
                if (Pooled.TryPop(out var segment))
                {
                    return segment;
                }
            }

            return new Segment();
        }

        public static void Return(Segment segment)
        {
            segment.Start = segment.End = 0;
            segment.Next = null;
            lock (Gate)
            {
                if (Pooled.Count < MaxPooled)
                {
                    Pooled.Push(segment);
                }
            }
        }
    }
}
