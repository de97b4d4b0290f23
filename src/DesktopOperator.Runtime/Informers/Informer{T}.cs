using System.Threading.Channels;
using DesktopOperator.Kube.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Informers;

/// <summary>
/// A shared informer (see <see cref="ISharedInformer{T}"/> for its guarantees). The <see cref="Reflector{T}"/>
/// updates the <see cref="IndexedStore{T}"/> first and then queues a notification; one dispatch loop delivers
/// the queue to every handler in order. The queue is unbounded, so a slow handler delays later notifications
/// but never the cache. Resync ticks travel through the same queue, so they never overtake a real change.
/// </summary>
public sealed partial class Informer<T> : ISharedInformer<T>, IReflectorSink<T>, IRunnableInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IndexedStore<T> _store;
    private readonly Reflector<T> _reflector;
    private readonly InformerOptions<T> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Notification> _notifications = Channel.CreateUnbounded<Notification>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Registration> _handlers = [];
    private int _started;
    private bool _listed;
    private bool _deliveredObjects;

    public Informer(IKubernetesClient client, InformerOptions<T>? options = null, TimeProvider? time = null, Random? random = null, ILogger? logger = null)
    {
        _options = options ?? new InformerOptions<T>();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _store = new IndexedStore<T>(_options.Indexers);
        _reflector = new Reflector<T>(client, _options, this, _time, random ?? Random.Shared, _logger);
    }

    public ICache<T> Cache => _store;

    public bool HasSynced => _synced.Task.IsCompleted;

    public string? LastSyncResourceVersion => _reflector.LastSyncResourceVersion;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public IDisposable AddEventHandler(IResourceEventHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var registration = new Registration(handler);
        _notifications.Writer.TryWrite(new Notification(NotificationKind.Register, null, null, registration));
        return registration;
    }

    /// <summary>Runs list+watch and delivery until cancelled. Call once.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("An informer runs once.");
        }

        using var resync = _options.ResyncPeriod is { } period
            ? _time.CreateTimer(static s => ((Informer<T>)s!).QueueResync(), this, period, period)
            : null;
        var dispatch = DispatchAsync(cancellationToken);
        await _reflector.RunAsync(cancellationToken).ConfigureAwait(false);
        await dispatch.ConfigureAwait(false);
    }

    void IReflectorSink<T>.Replace(IReadOnlyList<T> items)
    {
        var (upserted, removed) = _store.Replace(items);
        var initial = !_listed;
        foreach (var obj in removed)
        {
            Queue(NotificationKind.Delete, obj, obj);
        }

        foreach (var (old, current) in upserted)
        {
            Queue(old is null ? (initial ? NotificationKind.InitialAdd : NotificationKind.Add) : NotificationKind.Update, old, current);
        }

        if (initial)
        {
            _listed = true;
            Queue(NotificationKind.Synced, null, null);
        }
    }

    void IReflectorSink<T>.Apply(WatchEventType type, T obj)
    {
        if (type == WatchEventType.Deleted)
        {
            var old = _store.Remove(ObjectKey.From(obj));
            Queue(NotificationKind.Delete, old, obj);
            return;
        }

        var previous = _store.Upsert(obj);
        Queue(previous is null ? NotificationKind.Add : NotificationKind.Update, previous, obj);
    }

    private void QueueResync() => Queue(NotificationKind.Resync, null, null);

    private void Queue(NotificationKind kind, T? old, T? current) =>
        _notifications.Writer.TryWrite(new Notification(kind, old, current, null));

    private enum NotificationKind
    {
        InitialAdd,
        Add,
        Update,
        Delete,
        Synced,
        Resync,
        Register,
    }

    private sealed record Notification(NotificationKind Kind, T? Old, T? Current, Registration? Registration);

    private sealed class Registration(IResourceEventHandler<T> handler) : IDisposable
    {
        private volatile bool _removed;

        public IResourceEventHandler<T> Handler => handler;

        public bool Removed => _removed;

        public void Dispose() => _removed = true;
    }
}
