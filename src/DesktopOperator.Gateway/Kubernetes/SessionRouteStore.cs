using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Informers;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>
/// Routes as SessionRoute objects (Kubernetes mode), shared by every gateway replica and the SessionRoute controller.
/// <para>
/// Reads come from this store's index, fed by the SessionRoute informer and by this store's own writes not yet
/// acknowledged: they never block and never call the API server. Every write is applied to the index at once (compare
/// and swap on the route's version, as <see cref="IRouteStore"/> requires) and then written to the API server with
/// merge patches conditional on the object's resourceVersion (<see cref="SessionRoutePatches"/>):
/// </para>
/// <list type="bullet">
/// <item>Creates, deletes and decisions other replicas must see at once (a host bound or moved, a pin, Pending,
/// Expired, Failed) are written before the call returns. A 409 refreshes the route from the server and throws
/// <see cref="RouteConflictException"/>; an AlreadyExists on create returns the other writer's route to adopt.</item>
/// <item>Session status (Bound/Active/Disconnected, last-seen, connection count on the same host) is coalesced: at most
/// one <c>/status</c> write per route per <see cref="SessionRouteStoreOptions.StatusWriteInterval"/>, carrying the newest
/// state. The first change after a quiet interval is written at once (so Disconnected→Active reaches the other
/// replicas without delay); changes within the interval go in one write at its end. A 409 on such a write re-decides
/// through <see cref="SessionRouteRebase"/>, never overwriting another writer's bind.</item>
/// <item>While the API server is unreachable (connection errors, 5xx, 429, timeouts) every write is kept locally and
/// owed — at most <see cref="SessionRouteStoreOptions.MaxOwedRoutes"/> routes, one newest state each — and retried with
/// backoff; a new user still gets a usable route. Once the server answers, owed writes land; a route created here
/// that another replica created meanwhile yields to it (<see cref="SessionRouteRebase"/>).</item>
/// </list>
/// Versions are resourceVersions when the route is as the server has it, else local ones (<c>rv~n</c>). Thread-safe.
/// </summary>
internal sealed partial class SessionRouteStore : IRouteStore, IAsyncDisposable
{
    private const int StripeCount = 64;

    private readonly IKubernetesClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionRouteStore> _logger;
    private readonly SessionRouteStoreOptions _options;
    private readonly SessionRouteStoreMetrics _metrics;
    private readonly ConcurrentDictionary<(string Pool, string Key), Entry> _entries = new();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, StripeCount).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly IDisposable _subscription;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ChangeSignal _wake = new();
    private readonly Task _flushLoop;
    private long _localVersions;
    private int _owed;

    public SessionRouteStore(
        IKubernetesClient client,
        ISharedInformer<SessionRoute> routes,
        TimeProvider time,
        ILogger<SessionRouteStore> logger,
        SessionRouteStoreOptions? options = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(routes);
        _client = client;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _options = options ?? new SessionRouteStoreOptions();
        _metrics = new SessionRouteStoreMetrics(() => Volatile.Read(ref _owed), meterFactory);
        _subscription = routes.AddEventHandler(new ResourceEventHandler<SessionRoute>
        {
            Added = (route, _) => Observe(route),
            Updated = (_, route) => Observe(route),
            Deleted = ObserveDeleted,
        });
        _flushLoop = Task.Run(() => FlushLoopAsync(_stopping.Token));
    }

    public event EventHandler? Changed;

    /// <summary>Routes whose newest state is not written to the API server yet.</summary>
    public int OwedCount => Volatile.Read(ref _owed);

    public RouteRecord? Find(string pool, string key) => _entries.TryGetValue((pool, key), out var entry) ? entry.Route : null;

    public IReadOnlyList<RouteRecord> List(string pool)
    {
        var result = new List<RouteRecord>();
        foreach (var (id, entry) in _entries)
        {
            if (id.Pool == pool && entry.Route is { } route)
            {
                result.Add(route);
            }
        }

        return result;
    }

    public IReadOnlyCollection<string> PoolsWithRoutes()
    {
        var pools = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, entry) in _entries)
        {
            if (entry.Route is not null)
            {
                pools.Add(id.Pool);
            }
        }

        return pools;
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _flushLoop.ConfigureAwait(false);
        _metrics.Dispose();

        // The stripes and _stopping are not disposed: an inline write still running may release or observe them.
    }

    private void RaiseChanged() => Changed?.Invoke(this, EventArgs.Empty);

    private SemaphoreSlim StripeOf((string Pool, string Key) id) => _stripes[(id.GetHashCode() & int.MaxValue) % StripeCount];

    private string LocalVersion(SessionRoute? server) =>
        $"{server?.Metadata.ResourceVersion}~{Interlocked.Increment(ref _localVersions)}";
}
