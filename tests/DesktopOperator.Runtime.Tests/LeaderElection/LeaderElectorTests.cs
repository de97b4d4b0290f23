using DesktopOperator.Runtime.LeaderElection;
using DesktopOperator.Runtime.Tests.Support;
using DesktopOperator.Kube.Client;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Time;
using DesktopOperator.Testing.Waiting;
using Xunit.Abstractions;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Tests.LeaderElection;

/// <summary>
/// Two replicas (clients with tokens of their own, so a fault can cut one off) against the test API server, electing on a manual clock. Time moves in 100 ms steps; after each step the
/// test waits until both electors are parked on their timers again, then checks that never both lead.
/// </summary>
public sealed class LeaderElectorTests : IAsyncDisposable, IClassFixture<WidgetApiFixture>
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    // FixedRandom(0.5): every acquire retry waits 2 s · (1 + 1.2 · 0.5) = 3.2 s.
    private static readonly TimeSpan CandidateRetry = TimeSpan.FromSeconds(3.2);

    private readonly ManualTimeProvider _time = new();
    private readonly TestApi _api;
    private readonly string _ns;
    private readonly Replica _a;
    private readonly Replica _b;

    private readonly ITestOutputHelper _output;

    public LeaderElectorTests(WidgetApiFixture fixture, ITestOutputHelper output)
    {
        _output = output;
        _api = fixture.Api;
        _ns = _api.NewNamespace();
        _a = new Replica("a", _api.NewClient(token: _ns + "-a"), _ns, _time);
        _b = new Replica("b", _api.NewClient(token: _ns + "-b"), _ns, _time);
    }

    [Fact]
    public async Task RunAsync_TwoReplicas_ExactlyOneLeadsAndKeepsLeading()
    {
        _a.Start();
        _b.Start();
        await Eventually.WaitAsync(() => _a.Elector.IsLeader ^ _b.Elector.IsLeader, "one leader");
        var leader = _a.Elector.IsLeader ? _a : _b;

        await StepAsync(TimeSpan.FromSeconds(60));

        Assert.True(leader.Elector.IsLeader);
        Assert.Equal(1, _a.TimesStarted + _b.TimesStarted);
        var lease = await _api.Client.GetAsync<V1Lease>("operator-leader", _ns, CancellationToken.None);
        Assert.Equal(leader.Elector.Identity, lease.Spec!.HolderIdentity);
        Assert.Equal(0, lease.Spec.LeaseTransitions);
    }

    [Fact]
    public async Task RunAsync_LeaderCutOffFromApi_StopsByRenewDeadlineAndOtherTakesOverWithinLeaseDuration()
    {
        _a.Start();
        await Eventually.WaitAsync(() => _a.Elector.IsLeader, "a leads");
        _b.Start();
        await StepAsync(TimeSpan.FromSeconds(5));
        Assert.True(_a.Elector.IsLeader);

        _api.Faults.FailFraction(1.0, r => r.Authorization == $"Bearer {_ns}-a", 503);
        var cutOff = _time.GetUtcNow();
        var aStopped = (DateTimeOffset?)null;
        while (!_b.Elector.IsLeader)
        {
            await StepAsync(Step);
            if (!_a.Elector.IsLeader)
            {
                aStopped ??= _time.GetUtcNow();
            }

            Assert.True(_time.GetUtcNow() - cutOff < TimeSpan.FromMinutes(1), "b never took over");
        }

        var takeover = _time.GetUtcNow() - cutOff;
        _output.WriteLine($"a stopped leading {aStopped - cutOff} after losing the API; b took over after {takeover}");
        Assert.NotNull(aStopped);
        Assert.True(aStopped - cutOff <= TimeSpan.FromSeconds(10), $"a kept leading {aStopped - cutOff} without renewing");
        Assert.Equal(1, _a.TimesStopped);

        // b needs the lease unchanged for LeaseDuration (15 s) from when it saw a's last renewal, and sees
        // changes only when it polls: at most one candidate retry before and one after.
        Assert.True(takeover <= TimeSpan.FromSeconds(15) + (2 * CandidateRetry), $"takeover took {takeover}");
        Assert.True(takeover >= TimeSpan.FromSeconds(15) - TimeSpan.FromSeconds(2), $"takeover after {takeover} is before the lease could expire");
        var lease = await _b.Client.GetAsync<V1Lease>("operator-leader", _ns, CancellationToken.None);
        Assert.Equal("b", lease.Spec!.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
        Assert.Equal(["a", "b"], _b.NewLeaders);
    }

    [Fact]
    public async Task RunAsync_LeaderShutsDownGracefully_ReleasesAndOtherTakesOverAtItsNextPoll()
    {
        _a.Start();
        await Eventually.WaitAsync(() => _a.Elector.IsLeader, "a leads");
        _b.Start();
        await StepAsync(TimeSpan.FromSeconds(5));

        await _a.StopAsync();
        var released = await _api.Client.GetAsync<V1Lease>("operator-leader", _ns, CancellationToken.None);
        Assert.Equal("", released.Spec!.HolderIdentity);
        Assert.Equal(1, _a.TimesStopped);

        var start = _time.GetUtcNow();
        while (!_b.Elector.IsLeader)
        {
            await StepAsync(Step);
            Assert.True(_time.GetUtcNow() - start <= CandidateRetry, "b did not take the released lease at its next poll");
        }

        _output.WriteLine($"b took over {_time.GetUtcNow() - start} after a released the lease");
    }

    public async ValueTask DisposeAsync()
    {
        _api.Faults.Clear();
        await _a.StopAsync();
        await _b.StopAsync();
    }

    private async Task StepAsync(TimeSpan total)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < total; elapsed += Step)
        {
            _time.Advance(Step);
            await Eventually.WaitAsync(() => _time.ActiveTimers == _a.ExpectedTimers + _b.ExpectedTimers, "electors parked on their timers");
            Assert.False(_a.Elector.IsLeader && _b.Elector.IsLeader, $"two leaders at {_time.GetUtcNow():O}");
            Assert.False(_a.Leading && _b.Leading, $"two leaders' work running at {_time.GetUtcNow():O}");
        }
    }

    private sealed class Replica
    {
        private readonly CancellationTokenSource _stop = new();
        private Task? _run;
        private int _started;
        private int _stopped;
        private volatile bool _leading;

        public Replica(string identity, KubernetesClient client, string ns, TimeProvider time)
        {
            Client = client;
            Elector = new LeaderElector(
                client,
                new LeaderElectionOptions { Namespace = ns, LeaseName = "operator-leader", Identity = identity },
                new LeaderCallbacks
                {
                    OnStartedLeading = async ct =>
                    {
                        Interlocked.Increment(ref _started);
                        _leading = true;
                        using var reg = ct.Register(() => _leading = false);
                        await Task.Delay(System.Threading.Timeout.Infinite, ct);
                    },
                    OnStoppedLeading = () => Interlocked.Increment(ref _stopped),
                    OnNewLeader = NewLeaders.Enqueue,
                },
                time,
                new FixedRandom(0.5));
        }

        public KubernetesClient Client { get; }

        public System.Collections.Concurrent.ConcurrentQueue<string> NewLeaders { get; } = new();

        public LeaderElector Elector { get; }

        public int TimesStarted => Volatile.Read(ref _started);

        public int TimesStopped => Volatile.Read(ref _stopped);

        /// <summary>The leader's work, from its start until its token is cancelled (set on the callback's own thread).</summary>
        public bool Leading => _leading;

        /// <summary>A parked leader waits on its renew deadline and its retry delay; a candidate on its retry delay.</summary>
        public int ExpectedTimers => _run is null || _run.IsCompleted ? 0 : Elector.IsLeader ? 2 : 1;

        public void Start() => _run = Task.Run(() => Elector.RunAsync(_stop.Token));

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            if (_run is not null)
            {
                await _run.WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
    }
}
