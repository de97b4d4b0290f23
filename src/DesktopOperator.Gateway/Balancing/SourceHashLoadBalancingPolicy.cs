namespace DesktopOperator.Gateway.Balancing;

/// <summary>
/// Consistent hashing of the affinity key by weighted rendezvous (highest random weight) hashing: every host gets a
/// score weight / -ln(u), u uniform in (0,1) from hash(key, host), and the highest score wins. The winner depends only
/// on the key and the candidate set, never on order or on other state, so every replica and restart maps a key the
/// same way; removing a host moves only its own keys, adding one of N+1 takes about 1/(N+1) of the keys, and each
/// host's share is weight / total weight. When a key's first choice is full or unhealthy, its next-ranked host takes
/// it, again the same everywhere. No ring to rebuild: a pool change costs nothing.
/// </summary>
internal sealed class SourceHashLoadBalancingPolicy : ILoadBalancingPolicy
{
    public string Name => BalancingStrategyNames.SourceHash;

    public int Pick(in BalancingContext context)
    {
        var keyHash = AffinityHash.Hash(context.AffinityKey);
        var best = -1;
        var bestScore = double.NegativeInfinity;
        foreach (var host in context.Candidates)
        {
            var score = Score(keyHash, context.Pool.HostHash(host), context.WeightOf(host));
            if (score > bestScore)
            {
                best = host;
                bestScore = score;
            }
        }

        return best;
    }

    internal static double Score(ulong keyHash, ulong hostHash, int weight)
    {
        var u = AffinityHash.ToUnitInterval(AffinityHash.Combine(keyHash, hostHash));
        return weight / -Math.Log(u);
    }
}
