using Microsoft.Extensions.Logging;

namespace DesktopOperator.Runtime.Informers;

public sealed partial class Informer<T>
{
    /// <summary>The single delivery loop: the only code that calls handlers or touches <see cref="_handlers"/>.</summary>
    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var n in _notifications.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Deliver(n);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: notifications still queued are dropped, as client-go's informer drops them on stop.
        }
    }

    private void Deliver(Notification n)
    {
        // A handler registered after some objects were delivered gets the cache's content first; one registered
        // earlier hears of every object through the queue. Only this loop reads or writes the flag.
        _deliveredObjects |= n.Kind is NotificationKind.InitialAdd or NotificationKind.Add or NotificationKind.Update or NotificationKind.Delete or NotificationKind.Synced;
        switch (n.Kind)
        {
            case NotificationKind.Register:
                _handlers.Add(n.Registration!);
                if (_deliveredObjects)
                {
                    foreach (var obj in _store.List())
                    {
                        Invoke(n.Registration!, h => h.OnAdd(obj, false));
                    }
                }

                return;
            case NotificationKind.Synced:
                _synced.TrySetResult();
                return;
            case NotificationKind.Resync:
                if (HasSynced)
                {
                    foreach (var obj in _store.List())
                    {
                        InvokeAll(h => h.OnUpdate(obj, obj));
                    }
                }

                return;
            case NotificationKind.InitialAdd:
                InvokeAll(h => h.OnAdd(n.Current!, true));
                return;
            case NotificationKind.Add:
                InvokeAll(h => h.OnAdd(n.Current!, false));
                return;
            case NotificationKind.Update:
                InvokeAll(h => h.OnUpdate(n.Old!, n.Current!));
                return;
            case NotificationKind.Delete:
                InvokeAll(h => h.OnDelete(n.Current ?? n.Old!));
                return;
        }
    }

    private void InvokeAll(Action<IResourceEventHandler<T>> call)
    {
        _handlers.RemoveAll(r => r.Removed);
        foreach (var registration in _handlers)
        {
            Invoke(registration, call);
        }
    }

    private void Invoke(Registration registration, Action<IResourceEventHandler<T>> call)
    {
        if (registration.Removed)
        {
            return;
        }

        try
        {
            call(registration.Handler);
        }
#pragma warning disable CA1031 // One faulty handler must not starve the others or stop the informer; it is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogHandlerFailed(_logger, typeof(T).Name, e);
        }
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "An event handler of the {Kind} informer threw")]
    private static partial void LogHandlerFailed(ILogger logger, string kind, Exception exception);
}
