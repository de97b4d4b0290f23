using System.Diagnostics;
using System.Globalization;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Kubernetes;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Testing.Waiting;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DesktopOperator.Gateway.Tests.Kubernetes;

/// <summary>
/// <see cref="SessionRouteStore"/> against the test API server: gateway replicas racing for one
/// user, a restarted gateway, coalesced status writes, and a coalesced write meeting another writer's change.
/// </summary>
public sealed class SessionRouteStoreTests(SessionRouteApiFixture fixture, ITestOutputHelper output) : IClassFixture<SessionRouteApiFixture>
{
    /// <summary>Trials of the two-replica race: CI runs 500; the issue's proof is 1,000 (16-32 s on this loaded 2-core machine): set the variable.</summary>
    private const string TrialsVariable = "DESKTOP_OPERATOR_ROUTE_RACE_TRIALS";
    private const int CiTrials = 500;

    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CreateAsync_SameNewUserThroughTwoReplicasAtOnce_OneRouteAndOneHostEveryTrial()
    {
        var trials = int.TryParse(Environment.GetEnvironmentVariable(TrialsVariable), CultureInfo.InvariantCulture, out var n) ? n : CiTrials;
        var ns = fixture.Api.NewNamespace("race");
        await using var a = await RouteStoreReplica.StartAsync(fixture.Api, ns, token: "a");
        await using var b = await RouteStoreReplica.StartAsync(fixture.Api, ns, token: "b");
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var hosts = new Dictionary<string, string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < trials; i++)
        {
            var user = $"user-{i}";
            var results = await Task.WhenAll(
                a.Store.CreateAsync(Route(ns, user, "desk-a"), bound.Token).AsTask(),
                b.Store.CreateAsync(Route(ns, user, "desk-b"), bound.Token).AsTask());

            Assert.Equal(1, results.Count(r => r.Created));
            Assert.NotNull(results[0].Route.Host);
            Assert.Equal(results[0].Route.Host, results[1].Route.Host);
            hosts[user] = results[0].Route.Host!;
        }

        output.WriteLine($"{trials} trials of one new user through two replicas at once: {clock.Elapsed.TotalSeconds:F1} s");
        var routes = (await fixture.Api.Client.ListAsync<SessionRoute>(ns, null, bound.Token)).Items;
        Assert.Equal(trials, routes.Count);
        Assert.All(routes, r => Assert.Equal(hosts[r.Spec.User], r.Status?.Host));
    }

    [Fact]
    public async Task NewStore_OverTheSameApi_SeesEveryRouteWithItsHost()
    {
        var ns = fixture.Api.NewNamespace("restart");
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var first = await RouteStoreReplica.StartAsync(fixture.Api, ns))
        {
            for (var i = 0; i < 20; i++)
            {
                var created = await first.Store.CreateAsync(Route(ns, $"user-{i}", $"desk-h{i % 3}"), default);
                expected[created.Route.Key] = created.Route.Host!;
                if (i % 2 == 0)
                {
                    await first.Store.UpdateAsync(created.Route with { Phase = SessionRoutePhase.Active, ActiveConnections = 1 }, default);
                }
            }

            await first.Store.FlushAsync(default);
        }

        await using var restarted = await RouteStoreReplica.StartAsync(fixture.Api, ns);

        var pool = $"{ns}/desk";
        Assert.Equal(expected.Count, restarted.Store.List(pool).Count);
        Assert.All(expected, e => Assert.Equal(e.Value, restarted.Store.Find(pool, e.Key)?.Host));
        Assert.Equal(SessionRoutePhase.Active, restarted.Store.Find(pool, "user-0")?.Phase);
    }

    [Fact]
    public async Task UpdateAsync_HundredRapidStatusChanges_AFewStatusWritesAndTheLastValueWins()
    {
        var ns = fixture.Api.NewNamespace("coalesce");
        await using var a = await RouteStoreReplica.StartAsync(fixture.Api, ns);
        var route = (await a.Store.CreateAsync(Route(ns, "alice", "desk-h1"), default)).Route;
        var statusPath = SessionRouteApiFixture.RoutePath(ns, SessionRouteNames.For("desk", "alice")) + "/status";
        var before = StatusWrites(statusPath);

        for (var i = 1; i <= 100; i++)
        {
            route = await a.Store.UpdateAsync(
                route with { Phase = i % 2 == 1 ? SessionRoutePhase.Active : SessionRoutePhase.Disconnected, ActiveConnections = i % 2, LastSeen = T0.AddSeconds(i) },
                default);
        }

        await Eventually.WaitAsync(() => a.Store.OwedCount == 0, "the owed status is written");

        var writes = StatusWrites(statusPath) - before;
        output.WriteLine($"100 status changes within the interval: {writes} /status writes, {a.Writes("coalesced")} coalesced");
        Assert.InRange(writes, 1, 3);
        Assert.True(a.Writes("coalesced") >= 90, $"coalesced {a.Writes("coalesced")}");
        var stored = await fixture.Api.Client.GetAsync<SessionRoute>(SessionRouteNames.For("desk", "alice"), ns, default);
        Assert.Equal(
            (SessionRoutePhase.Disconnected, 0, T0.AddSeconds(100), "desk-h1"),
            (stored.Status!.Phase, stored.Status.ActiveConnections, stored.Status.LastSeen, stored.Status.Host));
    }

    /// <summary>
    /// The store's informer watches another namespace, so it learns of the other writer's change only through the 409
    /// on its coalesced write, not from the watch first.
    /// </summary>
    [Theory]
    [InlineData("failed", "{\"status\":{\"phase\":\"Failed\"}}", SessionRoutePhase.Failed, "desk-h1", 1)]
    [InlineData("moved", "{\"status\":{\"phase\":\"Bound\",\"host\":\"desk-h2\"}}", SessionRoutePhase.Bound, "desk-h2", 1)]
    [InlineData("status-only", "{\"status\":{\"activeConnections\":3,\"lastSeen\":\"2026-12-06T02:00:01Z\"}}", SessionRoutePhase.Disconnected, "desk-h1", 0)]
    public async Task CoalescedWrite_ConflictsWithAnotherWriter_RedecidedNotOverwritten(
        string change, string otherWrite, SessionRoutePhase phase, string host, int connections)
    {
        var ns = fixture.Api.NewNamespace("conflict");
        var blind = fixture.Api.NewNamespace("blind");
        await using var a = await RouteStoreReplica.StartAsync(fixture.Api, blind, options: new() { StatusWriteInterval = TimeSpan.FromMilliseconds(500) });
        var name = SessionRouteNames.For("desk", "alice");
        var route = (await a.Store.CreateAsync(Route(ns, "alice", "desk-h1"), default)).Route;
        route = await a.Store.UpdateAsync(route with { Phase = SessionRoutePhase.Active, ActiveConnections = 1, LastSeen = T0 }, default);
        await Eventually.WaitAsync(() => a.Store.OwedCount == 0, "the first status change is written at once");
        route = a.Store.Find(route.Pool, route.Key)!;

        await fixture.Api.Client.PatchAsync<SessionRoute>(name, ns, new V1Patch(otherWrite, V1Patch.PatchType.MergePatch), null, "status", default);
        await a.Store.UpdateAsync(route with { Phase = SessionRoutePhase.Disconnected, ActiveConnections = 0, LastSeen = T0.AddSeconds(5) }, default);
        await Eventually.WaitAsync(() => a.Store.OwedCount == 0, $"the coalesced write after '{change}' is settled");

        Assert.Equal(1, a.Writes("conflict"));
        var stored = await fixture.Api.Client.GetAsync<SessionRoute>(name, ns, default);
        Assert.Equal((phase, host, connections), (stored.Status!.Phase!.Value, stored.Status.Host!, stored.Status.ActiveConnections));
        Assert.Equal((phase, host), (a.Store.Find(route.Pool, route.Key)!.Phase, a.Store.Find(route.Pool, route.Key)!.Host!));
    }

    [Fact]
    public async Task UpdateAsync_ActiveRouteRepinnedMeanwhile_DisconnectKeepsThePinAndWritesTheHeldHost()
    {
        var ns = fixture.Api.NewNamespace("repin");
        await using var a = await RouteStoreReplica.StartAsync(fixture.Api, ns);
        var name = SessionRouteNames.For("desk", "alice");
        var route = (await a.Store.CreateAsync(Route(ns, "alice", "desk-h1"), default)).Route;
        await a.Store.UpdateAsync(route with { Phase = SessionRoutePhase.Active, ActiveConnections = 1, LastSeen = T0 }, default);
        await Eventually.WaitAsync(() => a.Store.OwedCount == 0, "the Active status is written");

        // An admin re-pins the route while its session runs on desk-h1.
        await fixture.Api.Client.PatchAsync<SessionRoute>(name, ns, new V1Patch("{\"spec\":{\"host\":\"desk-h2\"}}", V1Patch.PatchType.MergePatch), null, null, default);
        await Eventually.WaitAsync(() => a.Store.Find(route.Pool, route.Key)?.Pinned == true, "the store sees the pin");
        var seen = a.Store.Find(route.Pool, route.Key)!;
        await a.Store.UpdateAsync(seen with { Phase = SessionRoutePhase.Disconnected, ActiveConnections = 0, LastSeen = T0.AddSeconds(5) }, default);
        await a.Store.FlushAsync(default);

        var stored = await fixture.Api.Client.GetAsync<SessionRoute>(name, ns, default);
        Assert.Equal(("desk-h2", "desk-h1", SessionRoutePhase.Disconnected), (stored.Spec.Host, stored.Status!.Host, stored.Status.Phase!.Value));
    }

    [Fact]
    public async Task AddSessionRouteStore_RegistersOneStoreAsTheRouteStore()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<IKubernetesClient>(fixture.Api.Client)
            .AddSingleton(sp => new SharedInformerFactory(sp.GetRequiredService<IKubernetesClient>()))
            .AddSessionRouteStore();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Same(provider.GetRequiredService<SessionRouteStore>(), provider.GetRequiredService<IRouteStore>());
    }

    internal static RouteRecord Route(string ns, string user, string host) =>
        new($"{ns}/desk", user, AffinityKey.User, "rdp", host, false, SessionRoutePhase.Bound, T0, T0, 0);

    private int StatusWrites(string statusPath) => fixture.Api.Requests.Count(r => r.Method == "PATCH" && r.Path == statusPath);
}
