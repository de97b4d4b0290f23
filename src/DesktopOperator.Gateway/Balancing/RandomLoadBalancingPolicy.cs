namespace DesktopOperator.Gateway.Balancing;

/// <summary>A random candidate, each with probability weight / total weight, from the injected <see cref="IBalancingState.Random"/>.</summary>
internal sealed class RandomLoadBalancingPolicy : ILoadBalancingPolicy
{
    public string Name => BalancingStrategyNames.Random;

    public int Pick(in BalancingContext context)
    {
        long total = 0;
        foreach (var host in context.Candidates)
        {
            total += context.WeightOf(host);
        }

        var point = context.State.Random.NextInt64(total);
        foreach (var host in context.Candidates)
        {
            point -= context.WeightOf(host);
            if (point < 0)
            {
                return host;
            }
        }

        return context.Candidates[^1];
    }
}
