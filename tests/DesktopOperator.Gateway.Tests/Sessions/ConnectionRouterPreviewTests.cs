using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Sessions;

/// <summary><see cref="Gateway.Routing.ConnectionRouter.Preview"/>: the engine's decision, with nothing stored.</summary>
public sealed class ConnectionRouterPreviewTests
{
    [Fact]
    public async Task Preview_FullQueuePool_IsQueued_AndStoresNoQueueEntry()
    {
        using var harness = new RouterHarness(Pool(hosts: 1, sessionsPerHost: 1, whenFull: FullPoolAction.Queue));
        await harness.RouteAsync(Request("alice"));

        var decision = harness.Router.Preview(Request("anon-1"));

        Assert.Equal(RoutingResult.Queued, decision.Result);
        Assert.Equal("alice", Assert.Single(harness.Store.List(Key)).Key);
    }

    [Fact]
    public async Task Preview_SeesTheKeysLiveRoute_AndOtherwiseTheSameChoiceAsRouting()
    {
        using var harness = new RouterHarness(Pool(hosts: 2));
        var alice = await harness.RouteAsync(Request("alice"));

        Assert.Equal((alice.Host, false), (harness.Router.Preview(Request("alice")).Host, harness.Router.Preview(Request("alice")).NewRoute));
        var bob = harness.Router.Preview(Request("bob"));
        Assert.Equal(RoutingResult.Routed, bob.Result);
        Assert.NotEqual(alice.Host!.Name, bob.Host!.Name);
        Assert.Single(harness.Store.List(Key));
    }
}
