using System.Collections.Concurrent;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Tests.LeaderElection;

/// <summary>
/// Every version of one Lease as the API server wrote it, from a watch started before any elector runs: the
/// evidence for "never two leaders", instead of sampling the electors' flags.
/// </summary>
internal sealed class LeaseHistory : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<V1LeaseSpec> _versions = new();
    private readonly Task _watch;

    public LeaseHistory(IKubernetesClient client, string namespaceName, string leaseName)
    {
        _watch = Task.Run(async () =>
        {
            var options = new WatchOptions { FieldSelector = "metadata.name=" + leaseName, AllowBookmarks = false };
            await foreach (var e in client.WatchAsync<V1Lease>(namespaceName, options, _stop.Token))
            {
                if (e.Type is WatchEventType.Added or WatchEventType.Modified && e.Resource.Spec is { } spec)
                {
                    _versions.Enqueue(spec);
                }
            }
        });
    }

    public IReadOnlyList<V1LeaseSpec> Versions => [.. _versions];

    /// <summary>The holders in order, each change once ("" is a release).</summary>
    public IReadOnlyList<string> Holders()
    {
        var holders = new List<string>();
        foreach (var spec in _versions)
        {
            var holder = spec.HolderIdentity ?? "";
            if (holders.Count == 0 || holders[^1] != holder)
            {
                holders.Add(holder);
            }
        }

        return holders;
    }

    /// <summary>
    /// Asserts that no two replicas led at once: a new holder took the Lease only after the previous one released
    /// it or after the previous one's last renewal plus the lease duration; a renewal keeps acquireTime and
    /// leaseTransitions; every acquisition counts one transition more than before.
    /// </summary>
    public void AssertNeverTwoLeaders(TimeSpan leaseDuration)
    {
        V1LeaseSpec? previous = null;
        foreach (var spec in _versions)
        {
            if (previous is not null)
            {
                var before = previous.HolderIdentity ?? "";
                var now = spec.HolderIdentity ?? "";
                if (now == before)
                {
                    Assert.Equal(previous.AcquireTime, spec.AcquireTime);
                    Assert.Equal(previous.LeaseTransitions, spec.LeaseTransitions);
                }
                else if (now.Length > 0 && before.Length > 0)
                {
                    Assert.True(
                        spec.AcquireTime >= previous.RenewTime + leaseDuration,
                        $"{now} acquired at {spec.AcquireTime:O}, before {before}'s lease (renewed {previous.RenewTime:O}) expired");
                    Assert.Equal(previous.LeaseTransitions + 1, spec.LeaseTransitions);
                }
                else if (now.Length > 0)
                {
                    Assert.Equal(previous.LeaseTransitions + 1, spec.LeaseTransitions);
                }
            }

            previous = spec;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watch.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
