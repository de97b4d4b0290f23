namespace DesktopOperator.Api.V1Alpha1;

/// <summary>How a new session is placed. Weights come from staticHosts[].weight (template hosts weigh 1).</summary>
public sealed class BalancingSpec
{
    /// <summary>LeastSessions, RoundRobin, Random or SourceHash.</summary>
    public BalancingStrategy Strategy { get; set; } = BalancingStrategy.LeastSessions;
}
