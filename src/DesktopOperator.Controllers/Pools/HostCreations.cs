using DesktopOperator.Runtime;
using k8s.Models;

namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// Host pods this controller created that its cache has not shown yet (controller-runtime's "expectations"): while a
/// pool has one, a pass creates no more hosts for it. Deterministic names (<see cref="HostNames"/>) make a repeated
/// create of the same name a harmless 409, but not this case: a pass whose cache still holds an evicted, terminating host
/// creates its replacement; the next pass reads a cache that has dropped the evicted host and not yet shown the
/// replacement, takes the freed name for a second replacement, and the pool has one host too many (what a CI run of
/// the NodeDrain test ended with). Thread-safe.
/// </summary>
internal sealed class HostCreations(TimeProvider time)
{
    /// <summary>How long a create may go unseen before it is forgotten (a pod deleted before the cache saw it).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectKey, List<(string Uid, DateTimeOffset At)>> _unseen = [];

    /// <summary>Remembers a host just created for <paramref name="pool"/>, by uid (a name may come back).</summary>
    public void Created(ObjectKey pool, V1Pod created)
    {
        if (created.Metadata?.Uid is not { } uid)
        {
            return;
        }

        lock (_gate)
        {
            if (!_unseen.TryGetValue(pool, out var list))
            {
                _unseen[pool] = list = [];
            }

            list.Add((uid, time.GetUtcNow()));
        }
    }

    /// <summary>Forgets a pool that is gone.</summary>
    public void Forget(ObjectKey pool)
    {
        lock (_gate)
        {
            _unseen.Remove(pool);
        }
    }

    /// <summary>
    /// True while a host created for <paramref name="pool"/> is missing from <paramref name="cached"/> (and is younger
    /// than <see cref="Patience"/>); forgets the ones the cache shows.
    /// </summary>
    public bool Awaiting(ObjectKey pool, IReadOnlyList<V1Pod> cached)
    {
        lock (_gate)
        {
            if (!_unseen.TryGetValue(pool, out var list))
            {
                return false;
            }

            var now = time.GetUtcNow();
            list.RemoveAll(c => now - c.At > Patience || cached.Any(p => p.Metadata?.Uid == c.Uid));
            if (list.Count == 0)
            {
                _unseen.Remove(pool);
                return false;
            }

            return true;
        }
    }
}
