using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Testing.Waiting;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Sessions;

public sealed class SessionTrackerStressTests
{
    [Fact]
    public async Task BeginAndDispose_ConcurrentWithSweeps_EndsDisconnectedAndNeverExpiresLiveRoute()
    {
        using var harness = new RouterHarness(Pool());
        var request = Request("alice");
        var decision = await harness.RouteAsync(request);
        var anchor = harness.Router.BeginSession(request, decision);
        var routeLost = false;
        harness.Store.Changed += (_, _) => routeLost |= harness.Route("alice") is null;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var connections = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < 300; i++)
            {
                harness.Router.BeginSession(request, decision).Dispose();
            }
        }));
        var sweeper = Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < 100; i++)
            {
                harness.Time.Advance(TimeSpan.FromHours(2));
                await harness.Expiry.SweepAsync(CancellationToken.None);
            }
        });
        start.SetResult();
        await Task.WhenAll([.. connections, sweeper]).WaitAsync(TimeSpan.FromSeconds(60));

        // Writes that queued behind a sweep finish on the thread pool: wait for the level they converge to.
        await Eventually.WaitAsync(() => harness.Route("alice") is { Phase: SessionRoutePhase.Active, ActiveConnections: 1 }, "alice's route active with one connection");
        Assert.False(routeLost, "the route vanished while a connection was open");
        anchor.Dispose();
        await Eventually.WaitAsync(() => harness.Route("alice") is { Phase: SessionRoutePhase.Disconnected, ActiveConnections: 0 }, "alice's route disconnected");
        Assert.Equal(0, harness.Tracker.ConnectionsOf(Key, "alice"));
    }
}
