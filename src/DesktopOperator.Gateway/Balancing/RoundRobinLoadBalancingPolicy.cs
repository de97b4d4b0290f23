namespace DesktopOperator.Gateway.Balancing;

/// <summary>Smooth weighted round robin (<see cref="SmoothRoundRobin"/>), one position per pool.</summary>
internal sealed class RoundRobinLoadBalancingPolicy : ILoadBalancingPolicy
{
    public string Name => BalancingStrategyNames.RoundRobin;

    public int Pick(in BalancingContext context) =>
        context.State.RoundRobinOf(context.Pool.Key).Next(context.Pool, context.Candidates);
}
