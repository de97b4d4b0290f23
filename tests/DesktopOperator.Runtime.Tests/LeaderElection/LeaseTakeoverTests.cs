using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Runtime.LeaderElection;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Runtime.Tests.LeaderElection;

/// <summary>
/// Three replicas on the test API server; the leader vanishes without releasing (a crash). Judged from the
/// Lease's own history: never two holders at once, and the takeover happens after the lease duration and within
/// it plus the candidates' polling (each candidate sees a change only when it polls, once per jittered retry).
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
    public async Task LeaderCrashesWithoutRelease_OneOtherTakesOverAfterLeaseDurationWithinItsPolling()
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

        // A candidate sees the last renewal at its next poll and acquires at its first poll after the lease
        // duration: at most two jittered retry periods (2.2 x RetryPeriod each) beyond it, plus one retry period for
        // the requests of those polls.
        var poll = options.RetryPeriod * 2.2;
        Assert.InRange(took, options.LeaseDuration, options.LeaseDuration + (2 * poll) + options.RetryPeriod);
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
