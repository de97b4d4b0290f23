namespace DesktopOperator.Gateway.Balancing;

/// <summary>
/// The default: the host with the lowest (sessions + 1) / weight, i.e. the one whose load after taking this session
/// is lowest relative to its share (HAProxy's weighted leastconn). Counting the new session makes an empty pool fill
/// its heavier hosts first. Ties go to the host with the highest rendezvous score for the affinity key, so they are
/// deterministic for a key yet spread across keys (two gateway replicas deciding at once do not herd on host 0).
/// </summary>
internal sealed class LeastSessionsLoadBalancingPolicy : ILoadBalancingPolicy
{
    public string Name => BalancingStrategyNames.LeastSessions;

    public int Pick(in BalancingContext context)
    {
        var keyHash = AffinityHash.Hash(context.AffinityKey);
        var best = -1;
        long bestLoad = 0;
        long bestWeight = 1;
        ulong bestScore = 0;
        foreach (var host in context.Candidates)
        {
            long load = context.Sessions[host] + 1;
            long weight = context.WeightOf(host);
            var score = AffinityHash.Combine(keyHash, context.Pool.HostHash(host));

            // load / weight < bestLoad / bestWeight, compared without division (weights and loads are small ints).
            var order = best < 0 ? -1 : (load * bestWeight).CompareTo(bestLoad * weight);
            if (order < 0 || (order == 0 && score > bestScore))
            {
                best = host;
                bestLoad = load;
                bestWeight = weight;
                bestScore = score;
            }
        }

        return best;
    }
}
