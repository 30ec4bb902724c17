namespace CatChat.Transport;

/// <summary>
/// A transport's connections still open, in an intrusive list (their own links, so no node per connection),
/// for a shutdown that waits for them all to close and aborts whoever is left when its patience runs out.
/// </summary>
internal sealed class OpenConnections
{
    private readonly Lock _gate = new();
    private TransportConnection? _first;
    private int _count;
    private TaskCompletionSource? _allClosed;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public void Add(TransportConnection connection)
    {
        lock (_gate)
        {
            connection.Next = _first;
            if (_first is not null)
            {
                _first.Previous = connection;
            }

            _first = connection;
            _count++;
        }
    }

    public void Remove(TransportConnection connection)
    {
        lock (_gate)
        {
            if (connection.Previous is not null)
            {
                connection.Previous.Next = connection.Next;
            }
            else
            {
                _first = connection.Next;
            }

            if (connection.Next is not null)
            {
                connection.Next.Previous = connection.Previous;
            }

            connection.Previous = connection.Next = null;
            if (--_count == 0)
            {
                _allClosed?.TrySetResult();
            }
        }
    }

    /// <summary>Completes once none is open (made only when someone waits: open connections hold no task).</summary>
    public Task AllClosed()
    {
        lock (_gate)
        {
            return _count == 0 ? Task.CompletedTask : (_allClosed ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    public List<TransportConnection> Snapshot()
    {
        List<TransportConnection> open = [];
        lock (_gate)
        {
            for (var connection = _first; connection is not null; connection = connection.Next)
            {
                open.Add(connection);
            }
        }

        return open;
    }
}
