using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Controllers.Pools;
using k8s.Models;

namespace DesktopOperator.Controllers.Tests.Pools;

public sealed class PoolMetricsTests
{
    [Fact]
    public void HostsByState_EveryStateReported_CountsFromStatus()
    {
        var pool = Pool(sessionsPerHost: 3, maxHosts: 5, HostState.Ready, HostState.Ready, HostState.Draining);

        var counts = PoolMetrics.HostsByState(pool).ToDictionary(m => (string)m.Tags.ToArray().Single(t => t.Key == "state").Value!, m => m.Value);

        Assert.Equal(new Dictionary<string, int> { ["Starting"] = 0, ["Ready"] = 2, ["Unhealthy"] = 0, ["Draining"] = 1 }, counts);
        Assert.All(PoolMetrics.HostsByState(pool), m => Assert.Contains(new KeyValuePair<string, object?>("namespace", "ns"), m.Tags.ToArray()));
        Assert.Equal(6, PoolMetrics.ReadySlots(pool));
        Assert.Equal(15, PoolMetrics.MostSlots(pool));
    }

    [Fact]
    public void SessionsByPhase_RoutesWithoutPhaseNotCounted_EveryPhaseReported()
    {
        var pool = Pool(sessionsPerHost: 1, maxHosts: 1);
        SessionRoute Route(SessionRoutePhase? phase) => new() { Metadata = new V1ObjectMeta { Name = "r" }, Status = phase is null ? null : new SessionRouteStatus { Phase = phase } };

        var counts = PoolMetrics.SessionsByPhase(pool, [Route(SessionRoutePhase.Pending), Route(SessionRoutePhase.Pending), Route(SessionRoutePhase.Active), Route(null)])
            .ToDictionary(m => (string)m.Tags.ToArray().Single(t => t.Key == "phase").Value!, m => m.Value);

        Assert.Equal(Enum.GetNames<SessionRoutePhase>().Order(), counts.Keys.Order());
        Assert.Equal(2, counts["Pending"]);
        Assert.Equal(1, counts["Active"]);
        Assert.Equal(3, counts.Values.Sum());
    }

    [Fact]
    public void MostSlots_StaticPool_StaticHostsTimesSessionsPerHost()
    {
        var pool = Pool(sessionsPerHost: 2, maxHosts: 10);
        pool.Spec.StaticHosts = [new StaticHost { Name = "a", Address = "10.0.0.1" }, new StaticHost { Name = "b", Address = "10.0.0.2" }];

        Assert.Equal(4, PoolMetrics.MostSlots(pool));
    }

    [Fact]
    public void Desired_SessionsPlusBufferOverSessionsPerHost_WithinMinAndMax_StaticPoolsTheirHosts()
    {
        var pool = Pool(sessionsPerHost: 2, maxHosts: 4);
        pool.Spec.Capacity.MinHosts = 1;
        pool.Spec.Capacity.BufferSessions = 1;
        SessionRoute Route(SessionRoutePhase phase) => new() { Metadata = new V1ObjectMeta { Name = "r" }, Status = new SessionRouteStatus { Phase = phase } };

        // 4 sessions (Failed and Expired hold nothing) + 1 buffer over 2 per host: 3 hosts.
        SessionRoute[] routes = [Route(SessionRoutePhase.Pending), Route(SessionRoutePhase.Bound), Route(SessionRoutePhase.Active), Route(SessionRoutePhase.Disconnected), Route(SessionRoutePhase.Failed), Route(SessionRoutePhase.Expired)];
        Assert.Equal(3, PoolMetrics.Desired(pool, routes));
        Assert.Equal(1, PoolMetrics.Desired(pool, []));
        Assert.Equal(4, PoolMetrics.Desired(pool, [.. Enumerable.Repeat(Route(SessionRoutePhase.Active), 20)]));

        pool.Spec.StaticHosts = [new StaticHost { Name = "a", Address = "10.0.0.1" }, new StaticHost { Name = "b", Address = "10.0.0.2" }];
        Assert.Equal(2, PoolMetrics.Desired(pool, routes));
    }

    private static DesktopPool Pool(int sessionsPerHost, int maxHosts, params HostState[] hosts) => new()
    {
        Metadata = new V1ObjectMeta { Name = "desk", NamespaceProperty = "ns" },
        Spec = new DesktopPoolSpec { Capacity = new CapacitySpec { SessionsPerHost = sessionsPerHost, MaxHosts = maxHosts } },
        Status = new DesktopPoolStatus { Hosts = [.. hosts.Select((s, i) => new HostStatus { Name = $"h{i}", State = s })] },
    };
}
