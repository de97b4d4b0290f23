using System.Text.Json;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Gateway.Standalone;
using DesktopOperator.Testing.Time;
using DesktopOperator.Testing.Waiting;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Gateway.Tests.Standalone;

public sealed class FileRouteStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "routes-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _time = new(Start);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task CreateAsync_NewRoute_WritesReadableFileAndIsFound()
    {
        using var store = Open();

        var (stored, created) = await store.CreateAsync(Route("alice", "host-a"), CancellationToken.None);

        Assert.True(created);
        Assert.Equal("host-a", stored.Host);
        Assert.Equal(stored, store.Find("default/vnc", "alice"));
        var file = Assert.Single(Directory.GetFiles(_folder));
        Assert.EndsWith(".json", file, StringComparison.Ordinal);
        Assert.StartsWith("default_vnc_alice-", Path.GetFileName(file), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        Assert.Equal("host-a", json.RootElement.GetProperty("host").GetString());
        Assert.Equal("Bound", json.RootElement.GetProperty("phase").GetString());
    }

    [Fact]
    public async Task CreateAsync_KeyAlreadyStored_ReturnsExistingRoute()
    {
        using var store = Open();
        await store.CreateAsync(Route("alice", "host-a"), CancellationToken.None);

        var second = await store.CreateAsync(Route("alice", "host-b"), CancellationToken.None);

        Assert.False(second.Created);
        Assert.Equal("host-a", second.Route.Host);
        Assert.Equal("host-a", store.Find("default/vnc", "alice")!.Host);
    }

    [Fact]
    public async Task CreateAsync_ConcurrentCreatesForOneKey_AllAdoptOneWinner()
    {
        using var store = Open();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(async () => await store.CreateAsync(Route("bob", $"host-{i}"), CancellationToken.None))));

        Assert.Single(results.Select(r => r.Route).Distinct());
        Assert.Single(results, r => r.Created);
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Open_AfterRestart_KeepsEveryRouteAndDisconnectsActiveOnes()
    {
        using (var store = Open())
        {
            await store.CreateAsync(Route("alice", "host-a") with { Phase = SessionRoutePhase.Active, ActiveConnections = 2 }, CancellationToken.None);
            await store.CreateAsync(Route("carol", "host-b") with { Phase = SessionRoutePhase.Disconnected }, CancellationToken.None);
        }

        _time.Advance(TimeSpan.FromMinutes(5));
        using var reopened = Open();

        var alice = reopened.Find("default/vnc", "alice")!;
        Assert.Equal(("host-a", SessionRoutePhase.Disconnected, 0, Start.AddMinutes(5)), (alice.Host, alice.Phase, alice.ActiveConnections, alice.LastSeen));
        Assert.Equal(Route("carol", "host-b") with { Phase = SessionRoutePhase.Disconnected }, Unversioned(reopened.Find("default/vnc", "carol")));
        Assert.Equal(2, reopened.List("default/vnc").Count);
    }

    [Fact]
    public async Task Open_CorruptFile_IsSkippedAndOthersLoad()
    {
        using (var store = Open())
        {
            await store.CreateAsync(Route("alice", "host-a"), CancellationToken.None);
        }

        File.WriteAllText(Path.Combine(_folder, "broken.json"), "{ \"pool\": ");
        File.WriteAllText(Path.Combine(_folder, "empty.json"), "{}");

        using var reopened = Open();

        Assert.Equal("alice", Assert.Single(reopened.List("default/vnc")).Key);
        Assert.True(File.Exists(Path.Combine(_folder, "broken.json")), "a corrupt file is reported, never deleted");
    }

    [Fact]
    public async Task UpdateAndDelete_LeaveNoTemporaryFiles()
    {
        using var store = Open();
        var (created, _) = await store.CreateAsync(Route("alice", "host-a"), CancellationToken.None);
        var updated = await store.UpdateAsync(created with { Phase = SessionRoutePhase.Active, ActiveConnections = 1 }, CancellationToken.None);
        await store.FlushAsync(CancellationToken.None);

        Assert.Equal(SessionRoutePhase.Active, store.Find("default/vnc", "alice")!.Phase);
        Assert.Single(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories));

        await store.DeleteAsync(updated, CancellationToken.None);

        Assert.Null(store.Find("default/vnc", "alice"));
        Assert.Empty(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ExternalEdit_IsPickedUpAndRaisesChanged()
    {
        using var store = Open();
        await store.CreateAsync(Route("alice", "host-a"), CancellationToken.None);
        var path = Assert.Single(Directory.GetFiles(_folder));
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Changed += (_, _) => changed.TrySetResult();

        // An admin moves alice to host-b by editing the file (written aside, then renamed: no torn read).
        var edited = File.ReadAllText(path).Replace("\"host-a\"", "\"host-b\"", StringComparison.Ordinal);
        File.WriteAllText(path + ".edit", edited);
        File.Move(path + ".edit", path, overwrite: true);

        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("host-b", store.Find("default/vnc", "alice")!.Host);
    }

    [Fact]
    public async Task OwnWrites_AreNotReadBack()
    {
        using var store = Open();
        var (route, _) = await store.CreateAsync(Route("alice", "host-a"), CancellationToken.None);
        route = await store.UpdateAsync(route with { Phase = SessionRoutePhase.Active, ActiveConnections = 1 }, CancellationToken.None);
        await store.FlushAsync(CancellationToken.None);
        var (bob, _) = await store.CreateAsync(Route("bob", "host-a"), CancellationToken.None);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Changed += (_, _) => changed.TrySetResult();

        // An edit of another file, after this process's own writes: the watcher reports in order, so once the edit is
        // seen, the events of the own writes have been handled too.
        var bobPath = Path.Combine(_folder, RouteFileNames.For("default/vnc", "bob"));
        File.WriteAllText(bobPath + ".edit", File.ReadAllText(bobPath).Replace("\"host-a\"", "\"host-b\"", StringComparison.Ordinal));
        File.Move(bobPath + ".edit", bobPath, overwrite: true);
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("host-b", store.Find("default/vnc", "bob")!.Host);
        Assert.NotEqual(bob.Version, store.Find("default/vnc", "bob")!.Version);
        Assert.Equal(route, store.Find("default/vnc", "alice")); // same version: its own files were not read back
    }

    [Fact]
    public async Task UpdateAsync_ManyUpdates_SeenAtOnceAndWrittenAtMostOncePerInterval()
    {
        using var store = Open();
        var (route, _) = await store.CreateAsync(Route("alice", "host-a"), CancellationToken.None);
        var path = Assert.Single(Directory.GetFiles(_folder));

        // The first update is written at once (behind the caller), the next ones wait out the interval together.
        route = await store.UpdateAsync(route with { Phase = SessionRoutePhase.Active, ActiveConnections = 1 }, CancellationToken.None);
        await Eventually.WaitAsync(() => ReadConnections(path) == 1, "the first update in the file");
        for (var connections = 2; connections <= 5; connections++)
        {
            route = await store.UpdateAsync(route with { Phase = SessionRoutePhase.Active, ActiveConnections = connections }, CancellationToken.None);
            Assert.Equal(connections, store.Find("default/vnc", "alice")!.ActiveConnections);
        }

        await Eventually.WaitAsync(() => _time.ActiveTimers > 0, "the next write waiting for its interval");
        Assert.Equal(1, ReadConnections(path));
        _time.Advance(FileRouteStore.WriteInterval);
        await Eventually.WaitAsync(() => ReadConnections(path) == 5, "the latest update in the file, one interval later");
    }

    [Fact]
    public async Task Dispose_WritesPendingUpdates()
    {
        using (var store = Open())
        {
            var (route, _) = await store.CreateAsync(Route("alice", "host-a"), CancellationToken.None);
            route = await store.UpdateAsync(route with { Phase = SessionRoutePhase.Disconnected }, CancellationToken.None);
            await store.UpdateAsync(route with { Phase = SessionRoutePhase.Disconnected, LastSeen = Start.AddSeconds(3) }, CancellationToken.None);
        }

        using var reopened = Open();

        var expected = Route("alice", "host-a") with { Phase = SessionRoutePhase.Disconnected, LastSeen = Start.AddSeconds(3) };
        Assert.Equal(expected, Unversioned(reopened.Find("default/vnc", "alice")));
        Assert.Empty(Directory.GetFiles(_folder, ".*"));
    }

    [Fact]
    public void FileName_DistinctKeysWithSameReadablePart_DoNotCollide()
    {
        Assert.NotEqual(RouteFileNames.For("default/vnc", "Alice"), RouteFileNames.For("default/vnc", "alice"));
        Assert.NotEqual(RouteFileNames.For("default/vnc", "a/b"), RouteFileNames.For("default/vnc", "a?b"));
        Assert.Equal(RouteFileNames.For("default/vnc", "10.0.0.1"), RouteFileNames.For("default/vnc", "10.0.0.1"));
    }

    private static int ReadConnections(string path)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            return json.RootElement.GetProperty("activeConnections").GetInt32();
        }
        catch (IOException)
        {
            return -1; // replaced while read
        }
    }

    /// <summary>The route as it reads without the version this process gave it (versions are not persisted).</summary>
    private static RouteRecord? Unversioned(RouteRecord? route) => route is null ? null : route with { Version = "" };

    private FileRouteStore Open() => new(_folder, _time, NullLogger<FileRouteStore>.Instance);

    private static RouteRecord Route(string key, string host) =>
        new("default/vnc", key, AffinityKey.User, "vnc", host, false, SessionRoutePhase.Bound, Start, Start, 0);
}
