using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Standalone;

namespace DesktopOperator.Gateway.Tests.Standalone;

public sealed class RouteIndexTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void List_Unchanged_SameListWithoutAllocating()
    {
        var index = new RouteIndex();
        index.Set(Route("alice", "1"));
        index.Set(Route("bob", "1"));
        var first = index.List("default/vnc");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = index.List("default/vnc");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Same(first, again);
        Assert.Equal(0, allocated);
        Assert.Equal(["alice", "bob"], first.Select(r => r.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void List_AfterEachKindOfWrite_ShowsIt()
    {
        var index = new RouteIndex();
        var alice = Route("alice", "1");
        index.Set(alice);
        Assert.Equal([alice], index.List("default/vnc"));

        var moved = alice with { Host = "host-b", Version = "2" };
        Assert.True(index.TryReplace(alice, moved));
        Assert.Equal([moved], index.List("default/vnc"));

        var bob = Route("bob", "3");
        index.Set(bob);
        Assert.Equal(2, index.List("default/vnc").Count);

        Assert.True(index.TryRemove(moved));
        Assert.Equal([bob], index.List("default/vnc"));

        Assert.True(index.Remove("default/vnc", "bob"));
        Assert.Empty(index.List("default/vnc"));
        Assert.Empty(index.List("default/other"));
    }

    [Fact]
    public void List_FailedConditionalWrite_KeepsTheList()
    {
        var index = new RouteIndex();
        var alice = Route("alice", "1");
        index.Set(alice);
        var listed = index.List("default/vnc");

        Assert.False(index.TryReplace(alice with { Version = "0" }, alice with { Version = "2" }));
        Assert.False(index.TryRemove(alice with { Version = "0" }));

        Assert.Same(listed, index.List("default/vnc"));
    }

    [Fact]
    public async Task List_WritesRacingReads_NeverOlderThanTheLastCompletedWrite()
    {
        var index = new RouteIndex();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                _ = index.List("default/vnc");
            }
        });
        try
        {
            for (var i = 0; i < 2_000; i++)
            {
                var key = "user" + i;
                index.Set(Route(key, "1"));
                Assert.Contains(index.List("default/vnc"), r => r.Key == key);
                Assert.True(index.Remove("default/vnc", key));
                Assert.DoesNotContain(index.List("default/vnc"), r => r.Key == key);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await reader;
        }
    }

    private static RouteRecord Route(string key, string version) =>
        new("default/vnc", key, AffinityKey.User, "vnc", "host-a", false, SessionRoutePhase.Bound, Start, Start, 0) { Version = version };
}
