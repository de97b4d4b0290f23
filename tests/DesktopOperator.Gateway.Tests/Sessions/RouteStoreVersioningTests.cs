using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Gateway.Standalone;
using DesktopOperator.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Sessions;

/// <summary>The conditional-write contract of <see cref="IRouteStore"/>, for each implementation.</summary>
public sealed class RouteStoreVersioningTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "routes-" + Guid.NewGuid().ToString("N"));
    private readonly List<IDisposable> _stores = [];

    public static TheoryData<string> Stores => ["memory", "files"];

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task UpdateAsync_StaleVersion_ConflictsAndKeepsTheNewerWrite(string kind)
    {
        var store = Open(kind);
        var (read, _) = await store.CreateAsync(Route("alice", "h1"), CancellationToken.None);
        var newer = await store.UpdateAsync(read with { Host = "h2" }, CancellationToken.None);

        await Assert.ThrowsAsync<RouteConflictException>(async () => await store.UpdateAsync(read with { Host = "h3" }, CancellationToken.None));

        Assert.NotEqual(read.Version, newer.Version);
        Assert.Equal(newer, store.Find(Key, "alice"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task List_GivesThePoolsOwnRoutes_PoolsWithRoutesDropsAPoolWhoseLastRouteWent(string kind)
    {
        var store = Open(kind);
        await store.CreateAsync(Route("alice", "h1"), CancellationToken.None);
        var (bob, _) = await store.CreateAsync(Route("bob", "h2") with { Pool = "other/pool" }, CancellationToken.None);

        Assert.Equal(["alice"], store.List(Key).Select(r => r.Key));
        Assert.Equal(["bob"], store.List("other/pool").Select(r => r.Key));
        Assert.Empty(store.List("no/such-pool"));
        Assert.Equal([Key, "other/pool"], store.PoolsWithRoutes().Order(StringComparer.Ordinal));

        await store.DeleteAsync(bob, CancellationToken.None);

        Assert.Empty(store.List("other/pool"));
        Assert.Equal([Key], store.PoolsWithRoutes());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task UpdateAsync_RouteGone_Conflicts(string kind)
    {
        var store = Open(kind);
        var (read, _) = await store.CreateAsync(Route("alice", "h1"), CancellationToken.None);
        await store.DeleteAsync(read, CancellationToken.None);

        await Assert.ThrowsAsync<RouteConflictException>(async () => await store.UpdateAsync(read with { Host = "h2" }, CancellationToken.None));
        Assert.Null(store.Find(Key, "alice"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task DeleteAsync_StaleVersion_ConflictsAndKeepsTheRoute(string kind)
    {
        var store = Open(kind);
        var (read, _) = await store.CreateAsync(Route("alice", "h1"), CancellationToken.None);
        var newer = await store.UpdateAsync(read with { ActiveConnections = 2 }, CancellationToken.None);

        await Assert.ThrowsAsync<RouteConflictException>(async () => await store.DeleteAsync(read, CancellationToken.None));

        Assert.Equal(newer, store.Find(Key, "alice"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task UpdateAsync_ConcurrentReadModifyWrite_NoWriteIsLost(string kind)
    {
        const int Writers = 4;
        const int IncrementsEach = 100;
        var store = Open(kind);
        await store.CreateAsync(Route("alice", "h1", connections: 0), CancellationToken.None);
        var conflicts = 0;
        using var start = new ManualResetEventSlim();

        // Each writer adds one to ActiveConnections per write: read, add, write on the version read, until it lands.
        var writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            for (var i = 0; i < IncrementsEach; i++)
            {
                while (true)
                {
                    var current = store.Find(Key, "alice")!;
                    try
                    {
                        await store.UpdateAsync(current with { ActiveConnections = current.ActiveConnections + 1 }, CancellationToken.None);
                        break;
                    }
                    catch (RouteConflictException)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Writers * IncrementsEach, store.Find(Key, "alice")!.ActiveConnections);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task RouteRetry_AWriteLandsBetweenReadAndWrite_RereadsAndKeepsBothWrites(string kind)
    {
        var store = Open(kind);
        await store.CreateAsync(Route("alice", "h1", connections: 0), CancellationToken.None);
        var attempts = 0;

        // Two other writers beat this one, each between its read and its write.
        await RouteRetry.OnConflictAsync(
            async ct =>
            {
                var current = store.Find(Key, "alice")!;
                if (++attempts <= 2)
                {
                    await store.UpdateAsync(current with { ActiveConnections = current.ActiveConnections + 10 }, ct);
                }

                return await store.UpdateAsync(current with { ActiveConnections = current.ActiveConnections + 1 }, ct);
            },
            CancellationToken.None);

        Assert.Equal((3, 21), (attempts, store.Find(Key, "alice")!.ActiveConnections));
    }

    private IRouteStore Open(string kind)
    {
        if (kind == "memory")
        {
            return new InMemoryRouteStore();
        }

        var store = new FileRouteStore(_folder, new ManualTimeProvider(T0), NullLogger<FileRouteStore>.Instance);
        _stores.Add(store);
        return store;
    }
}
