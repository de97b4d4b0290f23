using System.Globalization;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Kubernetes;
using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Gateway.Tests.Kubernetes;

/// <summary>
/// The delete race of <see cref="SessionRouteStore"/>, the twin of
/// <see cref="SessionRouteStoreMoveRaceTests.UpdateAsync_MoveQueuedBehindOwnWriteThatConflicts_OtherReplicasMoveLandedFirst_MoveFails"/>:
/// a delete that waits behind a write of the same route, which meets another replica's change, must not report the
/// route deleted while the other replica's route stands (the sweep would then believe the user's slot is free).
/// </summary>
public sealed class SessionRouteStoreDeleteRaceTests(SessionRouteApiFixture fixture) : IClassFixture<SessionRouteApiFixture>
{
    private const int Trials = 20;
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The other replica moved the route; this replica, not knowing it yet (its informer watches another namespace),
    /// marks the route Failed and, on that route, deletes it. The Failed write holds the route's write slot (its request
    /// is on the wire when UpdateAsync first yields), so the delete waits, and the 409 the Failed write meets drops both
    /// for the server's route: both must fail with <see cref="RouteConflictException"/>, the index and the server holding
    /// the other replica's route. Deterministic: no timing decides the order.
    /// </summary>
    [Fact]
    public async Task DeleteAsync_QueuedBehindOwnWriteThatConflicts_OtherReplicasMoveLandedFirst_DeleteFailsAndTheRouteStays()
    {
        var ns = fixture.Api.NewNamespace("delete-behind");
        await using var a = await RouteStoreReplica.StartAsync(fixture.Api, ns, token: "a");
        await using var b = await RouteStoreReplica.StartAsync(fixture.Api, fixture.Api.NewNamespace("blind"), token: "b");
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var pool = $"{ns}/desk";
        var unset = 0;

        for (var i = 0; i < Trials; i++)
        {
            var user = $"user-{i.ToString(CultureInfo.InvariantCulture)}";
            var created = (await a.Store.CreateAsync(SessionRouteStoreTests.Route(ns, user, "desk-h1"), bound.Token)).Route;
            var known = (await b.Store.CreateAsync(SessionRouteStoreTests.Route(ns, user, "desk-h9"), bound.Token)).Route;
            Assert.Equal((created.Host, created.Version), (known.Host, known.Version));
            await a.Store.UpdateAsync(created with { Host = "desk-h2", Phase = RouteLifecycle.AfterMove(created.Phase, 0), BoundAt = T0, LastSeen = T0 }, bound.Token);

            var failing = b.Store.UpdateAsync(known with { Phase = SessionRoutePhase.Failed }, bound.Token).AsTask();
            var failed = b.Store.Find(pool, user)!;
            var deleting = failed.Phase == SessionRoutePhase.Failed ? b.Store.DeleteAsync(failed, bound.Token).AsTask() : null;
            await Assert.ThrowsAsync<RouteConflictException>(() => failing);
            if (deleting is null)
            {
                // Preempted for two round trips: the Failed write's 409 and read were done before this thread read the
                // route back. A delete now would start from the server's route and rightly land; try again.
                unset++;
                continue;
            }

            var error = await Record.ExceptionAsync(() => deleting);
            Assert.True(error is RouteConflictException, $"trial {i}: the delete reported {error?.GetType().Name ?? "done"} while replica a's route stands");
            Assert.Equal(("desk-h2", SessionRoutePhase.Bound), (b.Store.Find(pool, user)?.Host, b.Store.Find(pool, user)!.Phase));
            var stored = await fixture.Api.Client.GetAsync<SessionRoute>(SessionRouteNames.For("desk", user), ns, bound.Token);
            Assert.Equal(("desk-h2", SessionRoutePhase.Bound), (stored.Status?.Host, stored.Status?.Phase));
        }

        Assert.Equal(0, b.Store.OwedCount);
        Assert.True(unset <= Trials / 2, $"{unset} of {Trials} trials found the Failed write settled before the delete could queue behind it");
    }

    /// <summary>The same replica's delete with nothing in its way lands on the server and in the index.</summary>
    [Fact]
    public async Task DeleteAsync_NothingInTheWay_RouteGoneFromIndexAndServer()
    {
        var ns = fixture.Api.NewNamespace("delete-plain");
        await using var a = await RouteStoreReplica.StartAsync(fixture.Api, ns, token: "a");
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var route = (await a.Store.CreateAsync(SessionRouteStoreTests.Route(ns, "alice", "desk-h1"), bound.Token)).Route;

        await a.Store.DeleteAsync(route, bound.Token);

        Assert.Null(a.Store.Find($"{ns}/desk", "alice"));
        Assert.Empty((await fixture.Api.Client.ListAsync<SessionRoute>(ns, null, bound.Token)).Items);
    }
}
