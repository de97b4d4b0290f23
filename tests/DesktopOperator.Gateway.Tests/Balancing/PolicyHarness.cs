using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;

namespace DesktopOperator.Gateway.Tests.Balancing;

/// <summary>Calls a policy the way the engine does, with hosts and weights given by name.</summary>
internal static class PolicyHarness
{
    public static GatewayPool Pool(params int[] weights) => Pool("p", weights);

    public static GatewayPool Pool(string key, int[] weights, int firstHost = 0) => new()
    {
        Key = key,
        Protocols = [new GatewayProtocol("rdp", ProtocolKind.Rdp, 3389)],
        Hosts = [.. weights.Select((w, i) => new GatewayHost($"h{firstHost + i}", $"10.0.{(firstHost + i) / 250}.{(firstHost + i) % 250}", w))],
        SessionsPerHost = 1000,
    };

    /// <summary>Picks with every host a candidate (or those given) and returns the chosen host's name.</summary>
    public static string Pick(
        ILoadBalancingPolicy policy, GatewayPool pool, string key, IBalancingState state, int[]? sessions = null, int[]? candidates = null)
    {
        sessions ??= new int[pool.Hosts.Count];
        candidates ??= [.. Enumerable.Range(0, pool.Hosts.Count)];
        var chosen = policy.Pick(new BalancingContext(pool, candidates, sessions, key, state));
        Assert.Contains(chosen, candidates);
        return pool.Hosts[chosen].Name;
    }

    /// <summary>Distinct keys shaped like real ones: client addresses and user names.</summary>
    public static string[] Keys(int count) =>
        [.. Enumerable.Range(0, count).Select(i => i % 2 == 0 ? $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}" : $"user{i}")];
}
