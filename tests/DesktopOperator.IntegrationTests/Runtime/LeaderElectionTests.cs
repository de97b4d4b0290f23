using System.Diagnostics;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Runtime.LeaderElection;
using DesktopOperator.Testing.Waiting;
using k8s;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Runtime;

/// <summary>
/// Two replicas' <see cref="LeaderElector"/>s on one real Lease in the TestApiServer (or a real cluster), in real time
/// with short durations: lease 3 s, renew deadline 2 s, retry 0.5 s.
/// </summary>
public sealed class LeaderElectionTests
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task TwoReplicas_LeaderKilled_TheOtherTakesOverWithinTheLeaseAndNeverTwoAtOnce()
    {
        await using var cluster = await KubeCluster.StartAsync();
        await using var replicas = new Replicas(cluster, releaseOnCancel: false);

        await Eventually.TrueAsync(() => Task.FromResult(replicas.LeaderCount == 1), "one replica leads", CancellationToken.None);
        var leader = replicas.CurrentLeader()!;
        var follower = replicas.Other(leader);
        var lease = await cluster.Client.GetAsync<V1Lease>(Replicas.LeaseName, cluster.Namespace, CancellationToken.None);
        var killedAt = Stopwatch.GetTimestamp();
        await replicas.KillAsync(leader); // cancelled without releasing the Lease, as if the process died

        await Eventually.TrueAsync(() => Task.FromResult(follower.Leading), "the other replica takes over", CancellationToken.None, TimeSpan.FromSeconds(30));
        var takeover = Stopwatch.GetElapsedTime(killedAt);
        var after = await cluster.Client.GetAsync<V1Lease>(Replicas.LeaseName, cluster.Namespace, CancellationToken.None);

        Assert.Equal(leader.Identity, lease.Spec!.HolderIdentity);
        Assert.Equal(follower.Identity, after.Spec!.HolderIdentity);
        Assert.Equal((lease.Spec.LeaseTransitions ?? 0) + 1, after.Spec.LeaseTransitions);
        Assert.Equal(1, replicas.MaxConcurrentLeaders);

        // Correctness bound, not a speed figure: expiry after the lease duration plus retries with jitter; 3 s slack for a busy machine.
        // The follower times the lease from when it last saw the record change (up to a retry period, plus jitter,
        // before the kill), so half the lease duration is a safe "it waited for expiry" floor.
        Assert.True(takeover >= LeaseDuration / 2, $"took over after {takeover}, before the lease could expire");
        Assert.True(takeover <= LeaseDuration + (3 * RetryPeriod) + TimeSpan.FromSeconds(3), $"took over after {takeover}");
    }

    [Fact]
    public async Task TwoReplicas_LeaderReleasesGracefully_TheOtherTakesOverWithoutWaitingForExpiry()
    {
        await using var cluster = await KubeCluster.StartAsync();
        await using var replicas = new Replicas(cluster, releaseOnCancel: true);

        await Eventually.TrueAsync(() => Task.FromResult(replicas.LeaderCount == 1), "one replica leads", CancellationToken.None);
        var leader = replicas.CurrentLeader()!;
        var follower = replicas.Other(leader);
        var stoppedAt = Stopwatch.GetTimestamp();
        await replicas.KillAsync(leader);
        var released = await cluster.Client.GetAsync<V1Lease>(Replicas.LeaseName, cluster.Namespace, CancellationToken.None);

        await Eventually.TrueAsync(() => Task.FromResult(follower.Leading), "the other replica takes over", CancellationToken.None, TimeSpan.FromSeconds(30));
        var takeover = Stopwatch.GetElapsedTime(stoppedAt);

        Assert.True(string.IsNullOrEmpty(released.Spec!.HolderIdentity) || released.Spec.HolderIdentity == follower.Identity, $"holder after release: {released.Spec.HolderIdentity}");
        Assert.Equal(1, replicas.MaxConcurrentLeaders);
        Assert.True(takeover < LeaseDuration, $"a released lease was taken over only after {takeover}");
    }

    [Fact]
    public async Task TwoReplicas_ApiServerOutage_LeaderStepsDownThenOneLeadsAgain()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        await using var replicas = new Replicas(cluster, releaseOnCancel: true);
        await Eventually.TrueAsync(() => Task.FromResult(replicas.LeaderCount == 1), "one replica leads", CancellationToken.None);

        cluster.TestServer.Faults.StartOutage(DesktopOperator.Testing.ApiServer.OutageMode.RefuseConnections);
        await Eventually.TrueAsync(() => Task.FromResult(replicas.LeaderCount == 0), "the leader steps down when it cannot renew", CancellationToken.None);
        cluster.TestServer.Faults.EndOutage();

        await Eventually.TrueAsync(() => Task.FromResult(replicas.LeaderCount == 1), "one replica leads again", CancellationToken.None, TimeSpan.FromSeconds(30));
        Assert.Equal(1, replicas.MaxConcurrentLeaders);
    }

    /// <summary>Two electors on one Lease; tracks how many lead at once at every transition and by polling.</summary>
    private sealed class Replicas : IAsyncDisposable
    {
        public const string LeaseName = "desktop-operator-it";

        private readonly Replica[] _replicas;
        private readonly CancellationTokenSource _watchdogStop = new();
        private readonly Task _watchdog;
        private int _leading;
        private int _maxLeading;

        public Replicas(KubeCluster cluster, bool releaseOnCancel)
        {
            _replicas = [Start(cluster, "replica-a", releaseOnCancel), Start(cluster, "replica-b", releaseOnCancel)];
            _watchdog = Task.Run(WatchdogAsync);
        }

        public int LeaderCount => _replicas.Count(r => r.Leading);

        public int MaxConcurrentLeaders => Math.Max(Volatile.Read(ref _maxLeading), 1);

        public Replica? CurrentLeader() => _replicas.SingleOrDefault(r => r.Leading);

        public Replica Other(Replica replica) => _replicas.Single(r => r != replica);

        public async Task KillAsync(Replica replica)
        {
            await replica.Stop.CancelAsync();
            await replica.Running;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var replica in _replicas)
            {
                await replica.Stop.CancelAsync();
                await replica.Running;
                replica.Stop.Dispose();
            }

            await _watchdogStop.CancelAsync();
            await _watchdog;
            _watchdogStop.Dispose();
            Assert.True(Volatile.Read(ref _maxLeading) <= 1, $"{_maxLeading} replicas led at once");
        }

        private Replica Start(KubeCluster cluster, string identity, bool releaseOnCancel)
        {
            var replica = new Replica(identity);
            var client = cluster.NewClient();
            var elector = new LeaderElector(
                client,
                new LeaderElectionOptions
                {
                    Namespace = cluster.Namespace,
                    LeaseName = LeaseName,
                    Identity = identity,
                    LeaseDuration = LeaseDuration,
                    RenewDeadline = TimeSpan.FromSeconds(2),
                    RetryPeriod = RetryPeriod,
                    ReleaseOnCancel = releaseOnCancel,
                },
                new LeaderCallbacks { OnStartedLeading = token => LeadAsync(replica, token) });
            replica.Running = Task.Run(async () =>
            {
                using (client)
                {
                    await elector.RunAsync(replica.Stop.Token);
                }
            });
            return replica;
        }

        private async Task LeadAsync(Replica replica, CancellationToken token)
        {
            var now = Interlocked.Increment(ref _leading);
            UpdateMax(now);
            replica.Leading = true;
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // The term ended.
            }
            finally
            {
                replica.Leading = false;
                Interlocked.Decrement(ref _leading);
            }
        }

        private async Task WatchdogAsync()
        {
            while (!_watchdogStop.IsCancellationRequested)
            {
                UpdateMax(_replicas.Count(r => r.Leading));
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(5), _watchdogStop.Token);
                }
                catch (OperationCanceledException) when (_watchdogStop.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        private void UpdateMax(int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref _maxLeading)) && Interlocked.CompareExchange(ref _maxLeading, value, seen) != seen)
            {
            }
        }
    }

    private sealed class Replica(string identity)
    {
        public string Identity { get; } = identity;

        public CancellationTokenSource Stop { get; } = new();

        public Task Running { get; set; } = Task.CompletedTask;

        public volatile bool Leading;
    }
}
