using System.Net;
using BenchmarkDotNet.Attributes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Benchmarks.Routing;

/// <summary>
/// One routing decision for a new or a returning user over a pool of <see cref="Hosts"/> hosts holding <see cref="Routes"/> routes
/// (the per-connection cost of the engine). Run:
/// <c>dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- --filter '*RoutingEngineBenchmarks*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class RoutingEngineBenchmarks
{
    private GatewayPool _pool = null!;
    private RouteRecord[] _routes = [];
    private readonly BalancingState _state = new(new Random(1));
    private readonly RouteRequest _request = new("bench/pool", "rdp", "newcomer", IPAddress.Loopback);
    private RouteRequest _returning = null!;

    [Params(10, 100)]
    public int Hosts { get; set; }

    [Params(100, 10_000)]
    public int Routes { get; set; }

    [Params(BalancingStrategyNames.LeastSessions, BalancingStrategyNames.SourceHash)]
    public string Strategy { get; set; } = BalancingStrategyNames.LeastSessions;

    [GlobalSetup]
    public void Setup()
    {
        _pool = new GatewayPool
        {
            Key = "bench/pool",
            Protocols = [new GatewayProtocol("rdp", ProtocolKind.Rdp, 3389)],
            Hosts = [.. Enumerable.Range(0, Hosts).Select(i => new GatewayHost($"host-{i}", $"10.0.{i / 250}.{i % 250}"))],
            SessionsPerHost = 1_000_000,
            Strategy = Strategy,
        };
        var now = DateTimeOffset.UnixEpoch;
        _routes = [.. Enumerable.Range(0, Routes).Select(i =>
            new RouteRecord("bench/pool", $"user{i}", AffinityKey.User, "rdp", $"host-{i % Hosts}", false, SessionRoutePhase.Active, now, now, 1))];
        _returning = _request with { User = $"user{Routes / 2}" };
    }

    [Benchmark]
    public object DecideNewUser() => RoutingEngine.Decide(_pool, _routes, AllUnknown.Instance, _request, [], _state);

    /// <summary>A user with a live route (also every HTTP request of a known session).</summary>
    [Benchmark]
    public object DecideReturningUser() => RoutingEngine.Decide(_pool, _routes, AllUnknown.Instance, _returning, [], _state);

    private sealed class AllUnknown : IHostHealthView
    {
        public static readonly AllUnknown Instance = new();

        public event EventHandler<HostHealthChangedEventArgs>? HealthChanged
        {
            add { }
            remove { }
        }

        public HostHealth GetHealth(string pool, string host) => HostHealth.Unknown;

        public void ReportConnectFailure(string pool, string host)
        {
        }

        public void ReportConnectSuccess(string pool, string host)
        {
        }
    }
}
