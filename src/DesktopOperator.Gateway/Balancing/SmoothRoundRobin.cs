using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;

namespace DesktopOperator.Gateway.Balancing;

/// <summary>
/// nginx's smooth weighted round robin over one pool: each pick adds every candidate's weight to its running score,
/// takes the highest score and subtracts the candidates' total from it. Over any window of total-weight picks each
/// host gets exactly its weight's share, interleaved (5,1,1 gives a a b a c a a, not a a a a a b c). Hosts that are
/// not candidates this time (full, unhealthy) neither gain nor lose. Thread-safe (one lock per pool).
/// </summary>
internal sealed class SmoothRoundRobin
{
    private readonly Lock _gate = new();
    private GatewayPool? _pool;
    private long[] _scores = [];

    public int Next(GatewayPool pool, ReadOnlySpan<int> candidates)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(pool, _pool))
            {
                Rebase(pool);
            }

            long total = 0;
            var best = -1;
            for (var i = 0; i < candidates.Length; i++)
            {
                var host = candidates[i];
                var weight = pool.Hosts[host].Weight;
                _scores[host] += weight;
                total += weight;
                if (best < 0 || _scores[host] > _scores[best])
                {
                    best = host;
                }
            }

            _scores[best] -= total;
            return best;
        }
    }

    // A new pool snapshot: keep the scores of hosts that are still there so a config reload does not restart the cycle.
    private void Rebase(GatewayPool pool)
    {
        var scores = new long[pool.Hosts.Count];
        if (_pool is not null)
        {
            for (var i = 0; i < scores.Length; i++)
            {
                var old = _pool.IndexOf(pool.Hosts[i].Name);
                if (old >= 0)
                {
                    scores[i] = _scores[old];
                }
            }
        }

        _pool = pool;
        _scores = scores;
    }
}
