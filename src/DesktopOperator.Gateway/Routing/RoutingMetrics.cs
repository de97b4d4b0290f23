using System.Diagnostics.Metrics;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Gateway.Routing;

/// <summary>
/// Routing instruments on the gateway's meter, named as the Prometheus exporter writes them. Labels are pool, result,
/// mode (<c>route</c>: a decision that may store a route; <c>preview</c>: one that stores nothing, a cookie-less HTTP
/// request) and phase only: never a user or client address (unbounded cardinality, and personal data). Route gauges are
/// computed from the route store when scraped, so they cannot drift from it.
/// </summary>
internal sealed class RoutingMetrics : IDisposable
{
    public const string MeterName = "DesktopOperator.Gateway";

    private static readonly string[] ResultNames = Enum.GetNames<RoutingResult>();
    private static readonly SessionRoutePhase[] Phases = Enum.GetValues<SessionRoutePhase>();
    private static readonly string[] PhaseNames = Enum.GetNames<SessionRoutePhase>();

    private readonly IPoolSnapshotSource _pools;
    private readonly IRouteStore _routes;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _decisions;

    public RoutingMetrics(IPoolSnapshotSource pools, IRouteStore routes, IMeterFactory? meterFactory = null)
    {
        _pools = pools;
        _routes = routes;
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _decisions = Meter.CreateCounter<long>("gateway_routing_decisions_total", description: "Routing decisions by pool, result and mode.");
        Meter.CreateObservableGauge("gateway_routes", ObserveRoutes, description: "Session routes by pool and phase.");
        Meter.CreateObservableGauge("gateway_sessions_active", ObserveActive, description: "Sessions with an open connection (Active routes) by pool.");
        _pools.Changed += OnPoolsChanged;
        OnPoolsChanged(this, EventArgs.Empty);
    }

    public Meter Meter { get; }

    public void RecordDecision(string pool, RoutingResult result, bool preview = false) =>
        _decisions.Add(1, PoolTag(pool), ResultTag(ResultNames[(int)result]), ModeTag(preview));

    public void Dispose()
    {
        _pools.Changed -= OnPoolsChanged;
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    // Every pool's decision series exists from the start (at 0), so rate() and alerts see the first decision.
    private void OnPoolsChanged(object? sender, EventArgs e)
    {
        foreach (var pool in _pools.Pools)
        {
            foreach (var result in ResultNames)
            {
                _decisions.Add(0, PoolTag(pool.Key), ResultTag(result), ModeTag(preview: false));
                _decisions.Add(0, PoolTag(pool.Key), ResultTag(result), ModeTag(preview: true));
            }
        }
    }

    private static KeyValuePair<string, object?> PoolTag(string pool) => new("pool", pool);

    private static KeyValuePair<string, object?> ResultTag(string result) => new("result", result);

    private static KeyValuePair<string, object?> ModeTag(bool preview) => new("mode", preview ? "preview" : "route");

    private IEnumerable<Measurement<long>> ObserveRoutes()
    {
        var counts = new long[Phases.Length];
        foreach (var pool in _pools.Pools)
        {
            Array.Clear(counts);
            var routes = _routes.List(pool.Key);
            for (var i = 0; i < routes.Count; i++)
            {
                counts[(int)routes[i].Phase]++;
            }

            for (var p = 0; p < Phases.Length; p++)
            {
                yield return new Measurement<long>(counts[p],
                    new KeyValuePair<string, object?>("pool", pool.Key), new KeyValuePair<string, object?>("phase", PhaseNames[p]));
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveActive()
    {
        foreach (var pool in _pools.Pools)
        {
            var routes = _routes.List(pool.Key);
            long active = 0;
            for (var i = 0; i < routes.Count; i++)
            {
                if (routes[i].Phase == SessionRoutePhase.Active)
                {
                    active++;
                }
            }

            yield return new Measurement<long>(active, new KeyValuePair<string, object?>("pool", pool.Key));
        }
    }
}
