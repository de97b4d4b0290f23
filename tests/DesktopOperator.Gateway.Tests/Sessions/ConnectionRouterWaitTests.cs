using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Sessions;

public sealed class ConnectionRouterWaitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WaitForChangeAsync_NoChange_PendingUntilRecheckInterval()
    {
        using var harness = new RouterHarness(Pool());

        var wait = harness.Router.WaitForChangeAsync(Key, CancellationToken.None);
        Assert.False(wait.IsCompleted);
        harness.Time.Advance(ConnectionRouterRecheck - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);
        harness.Time.Advance(TimeSpan.FromMilliseconds(1));

        await wait.WaitAsync(Timeout);
    }

    [Fact]
    public async Task WaitForChangeAsync_HealthChange_Completes()
    {
        using var harness = new RouterHarness(Pool());
        var wait = harness.Router.WaitForChangeAsync(Key, CancellationToken.None);

        harness.Health.Set(Key, "h1", HostHealth.Unhealthy);

        await wait.WaitAsync(Timeout);
    }

    [Fact]
    public async Task WaitForChangeAsync_PoolUpdate_Completes()
    {
        using var harness = new RouterHarness(Pool());
        var wait = harness.Router.WaitForChangeAsync(Key, CancellationToken.None);

        harness.Pools.Update([Pool(hosts: 4)]);

        await wait.WaitAsync(Timeout);
    }

    [Fact]
    public async Task WaitForChangeAsync_Canceled_Throws()
    {
        using var harness = new RouterHarness(Pool());
        using var cancel = new CancellationTokenSource();
        var wait = harness.Router.WaitForChangeAsync(Key, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Timeout));
    }

    [Fact]
    public async Task RouteAsync_QueuedUntilSessionExpires_ThenRouted()
    {
        using var harness = new RouterHarness(Pool(hosts: 1, sessionsPerHost: 1, whenFull: FullPoolAction.Queue));
        var alice = await harness.RouteAsync(Request("alice"));
        var session = harness.Router.BeginSession(Request("alice"), alice);

        var bob = await harness.RouteAsync(Request("bob"));
        Assert.Equal(RoutingResult.Queued, bob.Result);
        var wait = harness.Router.WaitForChangeAsync(Key, CancellationToken.None);
        session.Dispose();
        await wait.WaitAsync(Timeout);
        Assert.Equal(RoutingResult.Queued, (await harness.RouteAsync(Request("bob"))).Result);

        wait = harness.Router.WaitForChangeAsync(Key, CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromHours(1));
        await harness.Expiry.SweepAsync(CancellationToken.None);
        await wait.WaitAsync(Timeout);

        Assert.Equal(RoutingResult.Routed, (await harness.RouteAsync(Request("bob"))).Result);
    }

    private static TimeSpan ConnectionRouterRecheck => DesktopOperator.Gateway.Routing.ConnectionRouter.QueueRecheckInterval;
}
