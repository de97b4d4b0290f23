using DesktopOperator.Gateway.Model;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace DesktopOperator.Gateway.Http;

/// <summary>
/// YARP's configuration, built from the gateway's plan: one route and one cluster per Http protocol of a pool, one
/// destination per host (id = host name). Destinations carry no YARP health checks and no YARP affinity: which
/// destination serves a request is decided by <see cref="HttpRoutingMiddleware"/> through our routing engine.
/// <see cref="Update"/> builds a new immutable snapshot only when its inputs changed, swaps it in, then signals the
/// old snapshot's change token (YARP then reads <see cref="GetConfig"/> again). Thread-safe.
/// </summary>
internal sealed class HttpProxyConfigProvider(TimeSpan defaultIdleTimeout) : IProxyConfigProvider, IDisposable
{
    /// <summary>Route metadata keys the routing middleware reads.</summary>
    public const string PoolMetadata = "desktop-operator.io/pool";

    public const string ProtocolMetadata = "desktop-operator.io/protocol";

    private readonly Lock _gate = new();
    private Snapshot _current = new([], [], []);

    public IProxyConfig GetConfig() => Volatile.Read(ref _current);

    /// <summary>The plans in force (the picker and the middleware find a request's pool protocol here).</summary>
    public IReadOnlyList<HttpRoutePlan> Routes => Volatile.Read(ref _current).Plans;

    /// <summary>The plan of a pool protocol in force, or null.</summary>
    public HttpRoutePlan? Find(string pool, string protocol)
    {
        var plans = Routes;
        for (var i = 0; i < plans.Count; i++)
        {
            if (plans[i].Pool == pool && plans[i].Protocol == protocol)
            {
                return plans[i];
            }
        }

        return null;
    }

    public void Update(IReadOnlyList<HttpRoutePlan> routes, IReadOnlyList<GatewayPool> pools)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(pools);
        var inputs = routes.Select(r => (Plan: r, Hosts: HostsOf(pools, r.Pool))).ToList();
        lock (_gate)
        {
            var old = _current;
            if (old.Plans.SequenceEqual(routes) && old.Inputs.SequenceEqual(inputs.Select(i => i.Hosts), HostListComparer.Instance))
            {
                return;
            }

            var next = new Snapshot(routes, [.. inputs.Select(i => i.Hosts)], [.. inputs.Select(i => ToCluster(i.Plan, i.Hosts))]);
            Volatile.Write(ref _current, next);
            old.SignalChanged();
        }
    }

    /// <remarks>
    /// Replaced snapshots are signalled but not disposed: YARP may still read a replaced snapshot's change token, and
    /// a signalled token source holds nothing worth freeing.
    /// </remarks>
    public void Dispose() => Volatile.Read(ref _current).Dispose();

    private static IReadOnlyList<GatewayHost> HostsOf(IReadOnlyList<GatewayPool> pools, string key) =>
        pools.FirstOrDefault(p => p.Key == key)?.Hosts ?? [];

    private ClusterConfig ToCluster(HttpRoutePlan plan, IReadOnlyList<GatewayHost> hosts) => new()
    {
        ClusterId = plan.Id,
        Destinations = hosts.ToDictionary(
            h => h.Name, h => new DestinationConfig { Address = $"http://{FormatHost(h.Address)}:{plan.HostPort}/" }, StringComparer.Ordinal),
        HttpRequest = new ForwarderRequestConfig { ActivityTimeout = plan.IdleTimeout ?? defaultIdleTimeout },
    };

    private static string FormatHost(string address) => address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;

    private static RouteConfig ToRoute(HttpRoutePlan plan)
    {
        var prefix = plan.PathPrefix;
        return new RouteConfig
        {
            RouteId = plan.Id,
            ClusterId = plan.Id,
            Match = new RouteMatch
            {
                Path = prefix is null ? null : $"{prefix}/{{**rest}}",
                Hosts = plan.Hostname is { } host ? [host] : null,
            },
            Metadata = new Dictionary<string, string> { [PoolMetadata] = plan.Pool, [ProtocolMetadata] = plan.Protocol },
            Transforms = string.IsNullOrEmpty(prefix) ? null : [new Dictionary<string, string> { ["PathRemovePrefix"] = prefix }],
        };
    }

    private sealed class Snapshot(IReadOnlyList<HttpRoutePlan> plans, IReadOnlyList<IReadOnlyList<GatewayHost>> inputs, IReadOnlyList<ClusterConfig> clusters)
        : IProxyConfig, IDisposable
    {
        private readonly CancellationTokenSource _changed = new();

        public IReadOnlyList<HttpRoutePlan> Plans => plans;

        public IReadOnlyList<IReadOnlyList<GatewayHost>> Inputs => inputs;

        public IReadOnlyList<RouteConfig> Routes { get; } = [.. plans.Select(ToRoute)];

        public IReadOnlyList<ClusterConfig> Clusters => clusters;

        public IChangeToken ChangeToken => new CancellationChangeToken(_changed.Token);

        public void SignalChanged() => _changed.Cancel();

        public void Dispose() => _changed.Dispose();
    }

    private sealed class HostListComparer : IEqualityComparer<IReadOnlyList<GatewayHost>>
    {
        public static readonly HostListComparer Instance = new();

        public bool Equals(IReadOnlyList<GatewayHost>? x, IReadOnlyList<GatewayHost>? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.Select(h => (h.Name, h.Address)).SequenceEqual(y.Select(h => (h.Name, h.Address))));

        public int GetHashCode(IReadOnlyList<GatewayHost> obj) => obj.Count;
    }
}
