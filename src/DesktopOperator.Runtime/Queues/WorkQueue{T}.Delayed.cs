namespace DesktopOperator.Runtime.Queues;

public sealed partial class WorkQueue<T>
{
    private readonly PriorityQueue<T, (long Due, long Sequence)> _delayed = new();
    private readonly Dictionary<T, long> _delayedDue = [];
    private readonly ITimer _delayTimer;
    private long _sequence;

    /// <summary>
    /// Adds the item once <paramref name="delay"/> has passed (on the injected clock). An item already waiting keeps
    /// the earlier of its two due times, so repeated AddAfter calls never postpone it. Items due at the same time
    /// are added in call order.
    /// </summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            if (delay <= TimeSpan.Zero)
            {
                AddLocked(item);
                return;
            }

            var due = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
            if (_delayedDue.TryGetValue(item, out var existing) && existing <= due)
            {
                return;
            }

            _delayedDue[item] = due;
            _delayed.Enqueue(item, (due, _sequence++));
            ArmLocked();
        }
    }

    /// <summary>Items waiting for their AddAfter delay.</summary>
    public int DelayedCount
    {
        get
        {
            lock (_gate)
            {
                return _delayedDue.Count;
            }
        }
    }

    private void OnDelayTimer()
    {
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            var now = _time.GetTimestamp();
            while (_delayed.TryPeek(out var item, out var priority) && priority.Due <= now)
            {
                _delayed.Dequeue();
                if (_delayedDue.TryGetValue(item, out var due) && due == priority.Due)
                {
                    _delayedDue.Remove(item);
                    AddLocked(item);
                }
            }

            ArmLocked();
        }
    }

    private void ArmLocked()
    {
        // Stale entries (superseded by an earlier due time) are skipped when they surface.
        while (_delayed.TryPeek(out var item, out var priority) && _delayedDue.GetValueOrDefault(item) != priority.Due)
        {
            _delayed.Dequeue();
        }

        if (!_delayed.TryPeek(out _, out var next))
        {
            _delayTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var wait = TimeSpan.FromSeconds(Math.Max(0, next.Due - _time.GetTimestamp()) / (double)_time.TimestampFrequency);
        _delayTimer.Change(wait == TimeSpan.Zero ? TimeSpan.FromTicks(1) : wait, Timeout.InfiniteTimeSpan);
    }
}
