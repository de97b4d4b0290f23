using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Health.Probes;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Pools;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Accept;
using DesktopOperator.Testing.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Gateway.Tests.Pools;

/// <summary>The applier against real listeners on loopback: binds, rebinds and unbinds ports as plans change.</summary>
public sealed class GatewayPlanApplierTests : IAsyncDisposable
{
    private readonly WebApplication _transportHost;
    private readonly TcpListenerManager _listeners;
    private readonly HostHealthMonitor _health;
    private readonly PoolRegistry _registry = new();
    private readonly GatewayPlanApplier _applier;
    private readonly Meter _meter = new(TcpProxyMetrics.MeterName);

    public GatewayPlanApplierTests()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSockets();
        builder.Services.AddSingleton(new TcpProxyMetrics(_meter));
        builder.Services.AddGatewaySocketTransport();
        _transportHost = builder.Build();
        _listeners = new TcpListenerManager(
            _transportHost.Services.GetRequiredService<GatewaySocketTransport>(),
            GatewayConnectionCap.Unlimited,
            new TcpProxyMetrics(_meter),
            NullLogger<TcpListenerManager>.Instance);
        var meters = _transportHost.Services.GetRequiredService<IMeterFactory>();
        _health = new HostHealthMonitor(HealthProbes.Create, TimeProvider.System, () => 0.5, meters, NullLogger<HostHealthMonitor>.Instance);
        var routes = new InMemoryRouteStore();
        var router = new ConnectionRouter(
            _registry, routes, _health, new SessionTracker(routes, TimeProvider.System, NullLogger<SessionTracker>.Instance),
            new BalancingState(new Random(1)), new RoutingMetrics(_registry, routes, meters), TimeProvider.System, NullLogger<ConnectionRouter>.Instance);
        _applier = new GatewayPlanApplier(
            _registry, _health, _listeners, router, new TcpProxyMetrics(_meter), new TcpProxyOptions(), IPAddress.Loopback, NullLoggerFactory.Instance, TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        await _listeners.DisposeAsync();
        await _health.DisposeAsync();
        _applier.Dispose();
        _meter.Dispose();
        await _transportHost.DisposeAsync();
    }

    [Fact]
    public async Task ApplyAsync_NewPlan_BindsItsPortsAndPublishesItsPools()
    {
        var port = LoopbackPorts.GetFreePort(IPAddress.Loopback);

        await _applier.ApplyAsync(Plan(("a", port)), CancellationToken.None);

        Assert.True(_applier.HasApplied);
        Assert.Empty(_applier.Problems);
        Assert.NotNull(_registry.Find("default/a"));
        Assert.True(await AcceptsAsync(port));
    }

    [Fact]
    public async Task ApplyAsync_PortChanged_RebindsAndFreesTheOldPort()
    {
        var first = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        var second = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        await _applier.ApplyAsync(Plan(("a", first)), CancellationToken.None);

        await _applier.ApplyAsync(Plan(("a", second)), CancellationToken.None);

        Assert.True(await AcceptsAsync(second));
        Assert.False(await AcceptsAsync(first));
    }

    [Fact]
    public async Task ApplyAsync_PoolRemoved_UnbindsItsPortAndDropsThePool()
    {
        var port = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        await _applier.ApplyAsync(Plan(("a", port)), CancellationToken.None);

        await _applier.ApplyAsync(Plan(), CancellationToken.None);

        Assert.Null(_registry.Find("default/a"));
        Assert.False(await AcceptsAsync(port));
    }

    [Fact]
    public async Task ApplyAsync_PortTaken_ReportsItAndAppliesTheRest()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var free = LoopbackPorts.GetFreePort(IPAddress.Loopback);

        await _applier.ApplyAsync(Plan(("a", taken), ("b", free)), CancellationToken.None);

        var problem = Assert.Single(_applier.Problems);
        Assert.StartsWith($"default/a: spec.protocols[vnc].gatewayPort: cannot listen on 127.0.0.1:{taken}", problem, StringComparison.Ordinal);
        Assert.True(await AcceptsAsync(free));
        Assert.NotNull(_registry.Find("default/a"));

        squatter.Stop();
        await _applier.ApplyAsync(Plan(("a", taken), ("b", free)), CancellationToken.None);

        Assert.Empty(_applier.Problems);
        Assert.True(await AcceptsAsync(taken));
    }

    private static GatewayPlan Plan(params (string Pool, int Port)[] pools)
    {
        var gatewayPools = pools.Select(p => new GatewayPool
        {
            Key = "default/" + p.Pool,
            Protocols = [new GatewayProtocol("vnc", ProtocolKind.Vnc, 5901)],
            Hosts = [new GatewayHost("host-a", "127.0.0.11")],
        }).ToList();
        var listeners = pools.Select(p => new TcpListenerPlan(
            $"default/{p.Pool}/vnc", p.Port, new TcpProxyListenerSettings("default/" + p.Pool, "vnc", TcpProtocolKind.Vnc), null)).ToList();
        return new GatewayPlan(gatewayPools, [], listeners, []);
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
