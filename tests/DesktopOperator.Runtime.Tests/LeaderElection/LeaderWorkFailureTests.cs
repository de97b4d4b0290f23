using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Runtime.LeaderElection;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Waiting;
using Microsoft.Extensions.Hosting;
using k8s.Models;

namespace DesktopOperator.Runtime.Tests.LeaderElection;

/// <summary>
/// A leader whose work fails stops leading, releases the Lease and ends with <see cref="LeaderWorkFailedException"/>
/// (as controller-runtime's manager exits); the other replica takes over. Against the test API server, judged
/// from the Lease's own history.
/// </summary>
public sealed class LeaderWorkFailureTests : IAsyncLifetime
{
    private const string Lease = "operator-leader";

    private static readonly LeaderElectionOptions Settings = new()
    {
        Namespace = "default",
        LeaseName = Lease,
        Identity = "unset",
        LeaseDuration = TimeSpan.FromSeconds(4),
        RenewDeadline = TimeSpan.FromSeconds(3),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
    };

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
    public async Task RunAsync_LeaderWorkFails_ReleasesLeaseThrowsAndOtherTakesOverBeforeTheLeaseCouldExpire()
    {
        await using var history = new LeaseHistory(NewClient(), "default", Lease);
        var crash = new TaskCompletionSource();
        // a on the package's typed Lease verbs, b on our client: both write the same Lease the same way.
        using var kubernetes = KubernetesFactory.Create(new KubeClientSettings { Host = _server.BaseAddress });
        var a = new LeaderElector(kubernetes, Settings with { Identity = "a" }, new LeaderCallbacks
        {
            OnStartedLeading = async ct =>
            {
                await crash.Task.WaitAsync(ct);
                throw new InvalidOperationException("reconciler crashed");
            },
        });
        using var stopB = new CancellationTokenSource();
        var b = new LeaderElector(NewClient(), Settings with { Identity = "b" }, new LeaderCallbacks
        {
            OnStartedLeading = ct => Task.Delay(Timeout.Infinite, ct),
        });

        var runA = Task.Run(() => a.RunAsync(CancellationToken.None));
        await Eventually.WaitAsync(() => a.IsLeader, "a leads");
        var runB = Task.Run(() => b.RunAsync(stopB.Token));
        await Eventually.WaitAsync(() => history.Versions.Count >= 3, "a renewed twice");

        crash.SetResult();
        var failure = await Assert.ThrowsAsync<LeaderWorkFailedException>(() => runA.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("reconciler crashed", failure.InnerException!.Message);
        Assert.False(a.IsLeader);
        await Eventually.WaitAsync(() => b.IsLeader, "b leads");
        await Eventually.WaitAsync(() => history.Holders().Count >= 3, "the watch saw b take over");

        Assert.Equal(["a", "", "b"], history.Holders());
        history.AssertNeverTwoLeaders(Settings.LeaseDuration);
        var versions = history.Versions;
        var released = versions.First(v => v.HolderIdentity == "");
        var taken = versions.First(v => v.HolderIdentity == "b");

        // Without the release b would wait a whole lease duration after a's last renewal; with it, b takes the Lease
        // at its next attempt, within a candidate's retry period (jittered up to x2.2).
        Assert.True(taken.AcquireTime - released.RenewTime < Settings.LeaseDuration, $"b took over {taken.AcquireTime - released.RenewTime} after the release");
        await stopB.CancelAsync();
        await runB.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Service_LeaderWorkFails_RecordsFailureStopsTheApplicationAndFaults()
    {
        var elector = new LeaderElector(NewClient(), Settings with { Identity = "solo" }, new LeaderCallbacks
        {
            OnStartedLeading = _ => Task.FromException(new InvalidOperationException("boom")),
        });
        using var lifetime = new StoppingLifetime();
        using var service = new LeaderElectionService(elector, lifetime);

        await service.StartAsync(CancellationToken.None);
        await Assert.ThrowsAsync<LeaderWorkFailedException>(() => service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("boom", service.Failure!.InnerException!.Message);
        Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
        var lease = await NewClient().GetAsync<V1Lease>(Lease, "default", CancellationToken.None);
        Assert.Equal("", lease.Spec!.HolderIdentity);
    }

    private KubernetesClient NewClient()
    {
        var client = new KubernetesClient(new KubeClientSettings { Host = _server.BaseAddress });
        _clients.Add(client);
        return client;
    }

    private sealed class StoppingLifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }
}
