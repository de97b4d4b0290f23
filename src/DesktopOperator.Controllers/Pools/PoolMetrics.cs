using System.Diagnostics.Metrics;
using DesktopOperator.Api.V1Alpha1;

namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// The operator's pool gauges, computed from the informer caches when scraped (no API calls, nothing to drift):
/// hosts by state, outdated hosts and slots from each pool's status, sessions by phase and desired hosts from the
/// SessionRoute cache. Only a replica
/// that runs the controllers reports them (<c>reporting</c>), so summing over replicas counts each pool once.
/// Labels are namespace, pool and state/phase only.
/// </summary>
internal static class PoolMetrics
{
    public const string Hosts = "operator_pool_hosts";
    public const string Sessions = "operator_pool_sessions";
    public const string FreeSlots = "operator_pool_free_slots";
    public const string Slots = "operator_pool_slots";
    public const string MaxSlots = "operator_pool_max_slots";
    public const string DesiredHosts = "operator_pool_desired_hosts";
    public const string OutdatedHosts = "operator_pool_outdated_hosts";

    private static readonly HostState[] States = Enum.GetValues<HostState>();
    private static readonly string[] StateNames = Enum.GetNames<HostState>();
    private static readonly string[] PhaseNames = Enum.GetNames<SessionRoutePhase>();

    /// <summary>Creates the gauges on <paramref name="meter"/>; they read <paramref name="caches"/> at each scrape.</summary>
    public static void Register(Meter meter, PoolCaches caches, Func<bool> reporting)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(caches);
        ArgumentNullException.ThrowIfNull(reporting);
        IEnumerable<Measurement<int>> Observe(Func<DesktopPool, PoolCaches, IEnumerable<Measurement<int>>> measure) =>
            reporting() ? caches.AllPools().SelectMany(p => measure(p, caches)) : [];

        meter.CreateObservableGauge(Hosts, () => Observe((p, _) => HostsByState(p)), description: "Hosts of each pool by state (Starting, Ready, Unhealthy, Draining), from the pool's status.");
        meter.CreateObservableGauge(Sessions, () => Observe((p, c) => SessionsByPhase(p, c.Routes(p))), description: "SessionRoutes of each pool by phase.");
        meter.CreateObservableGauge(FreeSlots, () => Observe((p, _) => [Measure(p, p.Status?.FreeSlots ?? 0)]), description: "Session slots free on ready, non-draining hosts (status.freeSlots).");
        meter.CreateObservableGauge(Slots, () => Observe((p, _) => [Measure(p, ReadySlots(p))]), description: "Session slots of the pool's ready hosts: ready hosts times sessionsPerHost.");
        meter.CreateObservableGauge(MaxSlots, () => Observe((p, _) => [Measure(p, MostSlots(p))]), description: "The most session slots the pool can have: maxHosts (or static hosts) times sessionsPerHost.");
        meter.CreateObservableGauge(DesiredHosts, () => Observe((p, c) => [Measure(p, Desired(p, c.Routes(p)))]), description: "Hosts the pool should have for its sessions and buffer, within minHosts and maxHosts (static pools: their hosts); compare with the sum of operator_pool_hosts.");
        meter.CreateObservableGauge(OutdatedHosts, () => Observe((p, _) => [Measure(p, p.Status?.OutdatedHosts ?? 0)]), description: "Hosts made from an older template, draining during a rolling update (status.outdatedHosts).");
    }

    public static IEnumerable<Measurement<int>> HostsByState(DesktopPool pool)
    {
        var counts = new int[States.Length];
        foreach (var host in pool.Status?.Hosts ?? [])
        {
            counts[(int)host.State]++;
        }

        for (var i = 0; i < States.Length; i++)
        {
            yield return Measure(pool, counts[i], new KeyValuePair<string, object?>("state", StateNames[i]));
        }
    }

    public static IEnumerable<Measurement<int>> SessionsByPhase(DesktopPool pool, IReadOnlyList<SessionRoute> routes)
    {
        var counts = new int[PhaseNames.Length];
        foreach (var route in routes)
        {
            if (route.Status?.Phase is { } phase)
            {
                counts[(int)phase]++;
            }
        }

        for (var i = 0; i < PhaseNames.Length; i++)
        {
            yield return Measure(pool, counts[i], new KeyValuePair<string, object?>("phase", PhaseNames[i]));
        }
    }

    /// <summary>The scaling rule's desired hosts (<see cref="ScalePlanner.DesiredHosts"/>) for the sessions in the route cache.</summary>
    public static int Desired(DesktopPool pool, IReadOnlyList<SessionRoute> routes)
    {
        if (pool.Spec?.StaticHosts is { Count: > 0 } statics)
        {
            return statics.Count;
        }

        var settings = ScaleSettings.From(pool.Spec?.Capacity ?? new CapacitySpec(), TimeSpan.Zero, maxSurge: 0, maxDrainTime: null);
        return ScalePlanner.DesiredHosts(settings, RouteCounts.Count(routes).Sessions, out _);
    }

    public static int ReadySlots(DesktopPool pool) =>
        (pool.Status?.Hosts?.Count(h => h.State == HostState.Ready) ?? 0) * SessionsPerHost(pool);

    public static int MostSlots(DesktopPool pool) =>
        (pool.Spec?.StaticHosts is { Count: > 0 } statics ? statics.Count : pool.Spec?.Capacity.MaxHosts ?? 0) * SessionsPerHost(pool);

    private static int SessionsPerHost(DesktopPool pool) => pool.Spec?.Capacity.SessionsPerHost ?? 1;

    private static Measurement<int> Measure(DesktopPool pool, int value, KeyValuePair<string, object?> extra) =>
        new(value, new KeyValuePair<string, object?>("namespace", pool.Metadata.NamespaceProperty ?? ""), new KeyValuePair<string, object?>("pool", pool.Metadata.Name), extra);

    private static Measurement<int> Measure(DesktopPool pool, int value) =>
        new(value, new KeyValuePair<string, object?>("namespace", pool.Metadata.NamespaceProperty ?? ""), new KeyValuePair<string, object?>("pool", pool.Metadata.Name));
}
