namespace CatChat.Sessions;

/// <summary>An outbox's hold: its cork, as TCP_CORK is a socket's.</summary>
internal sealed partial class Outbox
{
    /// <summary>
    /// Holds what is queued from now on until the returned cork is disposed, as TCP_CORK does: a reply of many lines
    /// (IRC's welcome, 001 to the end of the MOTD) then leaves in one send instead of whatever part of it a lane found
    /// queued first. Lines from anyone else meanwhile wait with it, in order. Corks nest; completing the outbox
    /// ignores them.
    /// </summary>
    public Cork Hold()
    {
        using (_gate.Enter())
        {
            _corks++;
        }

        return new Cork(this);
    }

    private void Release()
    {
        var schedule = false;
        using (_gate.Enter())
        {
            _corks--;
            if (_corks == 0 && _state == WriterState.Idle && _lines.Count > 0)
            {
                _state = WriterState.Writing;
                schedule = true;
            }
        }

        if (schedule)
        {
            _lane.Schedule(this);
        }
    }

    /// <summary>An outbox's hold (<see cref="Hold"/>): disposing it lets what was held leave together.</summary>
    public readonly struct Cork(Outbox outbox) : IDisposable
    {
        public void Dispose() => outbox?.Release();
    }
}
