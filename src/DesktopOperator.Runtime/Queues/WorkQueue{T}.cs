namespace DesktopOperator.Runtime.Queues;

/// <summary>
/// client-go's rate-limiting work queue. Guarantees:
/// <list type="bullet">
/// <item>Fair: items are handed out in the order they were added.</item>
/// <item>Stingy: an item added several times before a worker takes it is handed out once (dirty set).</item>
/// <item>Exclusive: an item is never held by two workers at once. Added while being processed, it is queued again
/// only when the worker calls <see cref="Done"/> (processing set), so the change is not lost.</item>
/// <item>Shutdown: <see cref="ShutDown"/> rejects new adds, wakes idle workers with ShutDown, and still hands out
/// items already queued; <see cref="ShutDownWithDrainAsync"/> also waits until they are all Done.</item>
/// </list>
/// Every member is thread-safe. A worker must call <see cref="Done"/> for each item it got, exactly once.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "client-go and YARP call it a work queue; the name is what readers look for.")]
public sealed partial class WorkQueue<T> : IDisposable
    where T : notnull
{
    private readonly Lock _gate = new();
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly LinkedList<TaskCompletionSource<(T, bool)>> _waiters = new();
    private readonly Dictionary<T, long> _addedAt = [];
    private readonly Dictionary<T, long> _startedAt = [];
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IRateLimiter<T> _limiter;
    private readonly TimeProvider _time;
    private readonly WorkQueueMetrics _metrics;
    private bool _shuttingDown;

    public WorkQueue(string name, IRateLimiter<T>? rateLimiter = null, TimeProvider? time = null)
    {
        Name = name;
        _time = time ?? TimeProvider.System;
        _limiter = rateLimiter ?? RateLimiters.Default<T>(_time);
        _metrics = new WorkQueueMetrics(name);
        _delayTimer = _time.CreateTimer(static s => ((WorkQueue<T>)s!).OnDelayTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string Name { get; }

    /// <summary>Items waiting to be handed out (not those being processed or delayed).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public bool ShuttingDown
    {
        get
        {
            lock (_gate)
            {
                return _shuttingDown;
            }
        }
    }

    public void Add(T item)
    {
        lock (_gate)
        {
            AddLocked(item);
        }
    }

    /// <summary>Adds after a backoff from the rate limiter (counts as a retry).</summary>
    public void AddRateLimited(T item)
    {
        _metrics.Retry();
        AddAfter(item, _limiter.NextDelay(item));
    }

    /// <summary>Stops tracking the item's failures (call on success or when giving up).</summary>
    public void Forget(T item) => _limiter.Forget(item);

    public int NumRequeues(T item) => _limiter.NumRequeues(item);

    /// <summary>
    /// Waits for the next item. Returns ShutDown = true (and a default item) once the queue is shutting down and
    /// empty. Cancelling the token abandons the wait without losing an item.
    /// </summary>
    public Task<(T Item, bool ShutDown)> GetAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<(T, bool)> waiter;
        LinkedListNode<TaskCompletionSource<(T, bool)>> node;
        lock (_gate)
        {
            if (_queue.TryDequeue(out var item))
            {
                _metrics.Depth(-1);
                StartLocked(item);
                return Task.FromResult((item, false));
            }

            if (_shuttingDown)
            {
                return Task.FromResult((default(T)!, true));
            }

            waiter = new TaskCompletionSource<(T, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    if (node.List is not null)
                    {
                        _waiters.Remove(node);
                    }
                }

                waiter.TrySetCanceled(cancellationToken);
            });
            waiter.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return waiter.Task;
    }

    /// <summary>Marks the item as processed; if it was added meanwhile, it is queued again now.</summary>
    public void Done(T item)
    {
        lock (_gate)
        {
            if (!_processing.Remove(item))
            {
                return;
            }

            if (_startedAt.Count > 0 && _startedAt.Remove(item, out var started))
            {
                _metrics.WorkDuration(_time.GetElapsedTime(started).TotalSeconds);
            }

            if (_dirty.Contains(item))
            {
                EnqueueLocked(item);
            }

            CheckDrainedLocked();
        }
    }

    public void ShutDown()
    {
        List<TaskCompletionSource<(T, bool)>> waiters;
        lock (_gate)
        {
            _shuttingDown = true;
            _delayTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            waiters = [.. _waiters];
            _waiters.Clear();
            CheckDrainedLocked();
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetResult((default!, true));
        }
    }

    /// <summary>Shuts down, then waits until every queued and in-flight item has been handed out and Done.</summary>
    public Task ShutDownWithDrainAsync(CancellationToken cancellationToken)
    {
        ShutDown();
        return _drained.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        ShutDown();
        _delayTimer.Dispose();
    }

    private void AddLocked(T item)
    {
        if (_shuttingDown || !_dirty.Add(item))
        {
            return;
        }

        _metrics.Add();
        if (WorkQueueMetrics.LatencyEnabled)
        {
            _addedAt.TryAdd(item, _time.GetTimestamp());
        }
        if (!_processing.Contains(item))
        {
            EnqueueLocked(item);
        }
    }

    private void EnqueueLocked(T item)
    {
        while (_waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            if (first.Value.TrySetResult((item, false)))
            {
                StartLocked(item);
                return;
            }
        }

        _queue.Enqueue(item);
        _metrics.Depth(+1);
    }

    private void StartLocked(T item)
    {
        _processing.Add(item);
        _dirty.Remove(item);
        long added = 0;
        var hasAddTime = _addedAt.Count > 0 && _addedAt.Remove(item, out added);
        if (!WorkQueueMetrics.LatencyEnabled)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (hasAddTime)
        {
            _metrics.QueueDuration(_time.GetElapsedTime(added, now).TotalSeconds);
        }

        _startedAt[item] = now;
    }

    private void CheckDrainedLocked()
    {
        if (_shuttingDown && _processing.Count == 0 && _queue.Count == 0)
        {
            _drained.TrySetResult();
        }
    }
}
