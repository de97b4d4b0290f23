using DesktopOperator.Gateway.Sessions;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Sessions;

public sealed class InMemoryRouteStoreTests
{
    private readonly InMemoryRouteStore _store = new();

    [Fact]
    public async Task CreateAsync_KeyExists_ReturnsExistingUnchanged()
    {
        var first = await _store.CreateAsync(Route("alice", "h1"), CancellationToken.None);

        var second = await _store.CreateAsync(Route("alice", "h2"), CancellationToken.None);

        Assert.True(first.Created);
        Assert.Equal(new RouteCreation(first.Route, Created: false), second);
        Assert.Equal("h1", _store.Find(Key, "alice")?.Host);
    }

    [Fact]
    public async Task CreateAsync_ManyConcurrent_OneWinnerEveryoneGetsIt()
    {
        var attempts = Enumerable.Range(0, 32).Select(i => Route("alice", $"h{i}")).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = attempts.Select(route => Task.Run(async () =>
        {
            await start.Task;
            return await _store.CreateAsync(route, CancellationToken.None);
        })).ToArray();

        start.SetResult();
        var results = await Task.WhenAll(racers).WaitAsync(TimeSpan.FromSeconds(10));

        var winner = Assert.Single(_store.List(Key));
        Assert.All(results, r => Assert.Same(winner, r.Route));
        Assert.Single(results, r => r.Created);
    }

    [Fact]
    public async Task UpdateAndDelete_ChangeListAndRaiseChanged()
    {
        var changes = 0;
        _store.Changed += (_, _) => changes++;
        var (alice, _) = await _store.CreateAsync(Route("alice", "h1"), CancellationToken.None);
        var (bob, _) = await _store.CreateAsync(Route("bob", "h1"), CancellationToken.None);
        var before = _store.List(Key);

        await _store.UpdateAsync(alice with { Host = "h2" }, CancellationToken.None);
        await _store.DeleteAsync(bob, CancellationToken.None);
        await _store.DeleteAsync(Route("nobody", "h1"), CancellationToken.None);

        Assert.Equal(2, before.Count);
        var route = Assert.Single(_store.List(Key));
        Assert.Equal(("alice", "h2"), (route.Key, route.Host));
        Assert.Equal(4, changes);
    }

    [Fact]
    public void FindAndList_UnknownPool_Empty()
    {
        Assert.Null(_store.Find("x/y", "alice"));
        Assert.Empty(_store.List("x/y"));
    }
}
