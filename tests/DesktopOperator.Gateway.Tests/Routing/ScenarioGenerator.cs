using System.Net;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Gateway.Tests.Routing;

/// <summary>
/// Hand-rolled generators for property tests (FsCheck is not available here): random pools, route sets, health and
/// requests from a seeded <see cref="Random"/>, so every failure reproduces from its seed. Values are drawn from small
/// sets (a dozen users, a few addresses, a few hosts) so that collisions (a returning user, a full host) are common.
/// </summary>
internal static class ScenarioGenerator
{
    public static readonly string[] Strategies =
        [BalancingStrategyNames.LeastSessions, BalancingStrategyNames.RoundRobin, BalancingStrategyNames.Random, BalancingStrategyNames.SourceHash];

    private static readonly string[] Users = [.. Enumerable.Range(0, 12).Select(i => $"user{i}")];
    private static readonly string[] Addresses = [.. Enumerable.Range(1, 8).Select(i => $"198.51.100.{i}")];

    public static Scenario Next(Random rng)
    {
        var pool = NextPool(rng);
        var health = new TestHealthView();
        foreach (var host in pool.Hosts)
        {
            health.Set(pool.Key, host.Name, (HostHealth)rng.Next(3));
        }

        var routes = new Dictionary<string, RouteRecord>();
        var routeCount = rng.Next(0, 25);
        for (var i = 0; i < routeCount; i++)
        {
            var (kind, key) = rng.Next(3) == 0 ? (AffinityKey.SourceIP, Pick(rng, Addresses)) : (AffinityKey.User, Pick(rng, Users));
            var phase = (SessionRoutePhase)rng.Next(6);
            var host = phase == SessionRoutePhase.Pending ? null : NextHostName(rng, pool);
            routes[key] = new RouteRecord(pool.Key, key, kind, "rdp", host, rng.Next(10) == 0, phase,
                TestPools.T0, TestPools.T0, phase == SessionRoutePhase.Active ? rng.Next(1, 3) : 0);
        }

        var excluded = pool.Hosts.Where(_ => rng.Next(6) == 0).Select(h => h.Name).ToArray();
        return new Scenario(pool, [.. routes.Values], health, NextRequest(rng, pool), excluded);
    }

    public static GatewayPool NextPool(Random rng)
    {
        var hostCount = rng.Next(0, 9);
        var hosts = Enumerable.Range(0, hostCount).Select(i => new GatewayHost(
            $"h{i}", $"10.1.0.{i}", Weight: rng.Next(8) == 0 ? 0 : rng.Next(1, 5), Ready: rng.Next(10) != 0, Draining: rng.Next(7) == 0));
        return new GatewayPool
        {
            Key = TestPools.Key,
            Protocols = [new GatewayProtocol("rdp", ProtocolKind.Rdp, 3389)],
            Hosts = [.. hosts],
            SessionsPerHost = rng.Next(1, 5),
            Strategy = Pick(rng, Strategies),
            WhenFull = (FullPoolAction)rng.Next(2),
            AffinityKey = (AffinityKey)rng.Next(2),
            MaxSessionsPerUser = rng.Next(4) == 0 ? rng.Next(1, 3) : 0,
        };
    }

    public static RouteRequest NextRequest(Random rng, GatewayPool pool) => new(
        pool.Key,
        "rdp",
        rng.Next(4) == 0 ? null : Pick(rng, Users),
        IPAddress.Parse(Pick(rng, Addresses)),
        rng.Next(10) == 0 ? NextHostName(rng, pool) : null);

    private static string NextHostName(Random rng, GatewayPool pool) =>
        pool.Hosts.Count == 0 || rng.Next(12) == 0 ? "gone" : pool.Hosts[rng.Next(pool.Hosts.Count)].Name;

    private static string Pick(Random rng, string[] values) => values[rng.Next(values.Length)];
}
