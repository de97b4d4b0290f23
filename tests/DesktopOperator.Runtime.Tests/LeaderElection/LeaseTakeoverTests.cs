using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Runtime.LeaderElection;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Runtime.Tests.LeaderElection;

/// <summary>
/// Three replicas on the test API server; the leader vanishes without releasing (a crash). Judged from the
/// Lease's own history: never two holders at once, and no takeover before the lease duration has passed since the
/// last renewal. How soon after it a candidate takes over depends on its polling and is proven on a manual clock
/// (<see cref="LeaderElectorTests"/>): in real time on a loaded machine it is not a property a test can bound.
/// </summary>
public sealed class LeaseTakeoverTests : IAsyncLifetime
{
    private const string Lease = "takeover";
    private readonly TestApiServer _server = new();
    private readonly List<KubernetesClient> _clients = [];

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _server.DisposeAsync();
    }

    [Fact]
    public async Task LeaderCrashesWithoutRelease_OneOtherTakesOverOnlyAfterLeaseDuration()
    {
        var options = new LeaderElectionOptions
        {
            Namespace = "default",
            LeaseName = Lease,
            Identity = "unset",
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1.5),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
            ReleaseOnCancel = false,
        };
        await using var history = new LeaseHistory(NewClient(), "default", Lease);
        var replicas = new[] { "a", "b", "c" }.Select(id => new LeaderElector(NewClient(), options with { Identity = id }, new LeaderCallbacks
        {
            OnStartedLeading = ct => Task.Delay(Timeout.Infinite, ct),
        })).ToArray();
        var stops = replicas.Select(_ => new CancellationTokenSource()).ToArray();
        var runs = replicas.Select((r, i) => Task.Run(() => r.RunAsync(stops[i].Token))).ToArray();

        await Eventually.WaitAsync(() => replicas.Count(r => r.IsLeader) == 1, "one leader");
        var first = Array.FindIndex(replicas, r => r.IsLeader);
        await Eventually.WaitAsync(() => history.Versions.Count(v => v.HolderIdentity == replicas[first].Identity) >= 3, "the leader renewed");
        await stops[first].CancelAsync();
        await runs[first].WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.WaitAsync(() => history.Holders().Count >= 2, "another replica took over");

        history.AssertNeverTwoLeaders(options.LeaseDuration);
        var versions = history.Versions;
        var lastRenewal = versions.Last(v => v.HolderIdentity == replicas[first].Identity);
        var takeover = versions.First(v => v.HolderIdentity != replicas[first].Identity);
        var took = takeover.AcquireTime!.Value - lastRenewal.RenewTime!.Value;

        Assert.True(took >= options.LeaseDuration, $"taken over {took} after the last renewal, before the lease duration {options.LeaseDuration}");
        Assert.Equal(2, history.Holders().Count);
        foreach (var stop in stops)
        {
            await stop.CancelAsync();
        }

        await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var stop in stops)
        {
            stop.Dispose();
        }
    }

    private KubernetesClient NewClient()
    {
        var client = new KubernetesClient(new KubeClientSettings { Host = _server.BaseAddress });
        _clients.Add(client);
        return client;
    }
}
