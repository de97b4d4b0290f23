namespace DesktopOperator.Gateway.Balancing;

/// <summary>Strategy names as written in DesktopPool <c>spec.balancing.strategy</c>; each policy's <c>Name</c>.</summary>
internal static class BalancingStrategyNames
{
    public const string LeastSessions = "LeastSessions";
    public const string RoundRobin = "RoundRobin";
    public const string Random = "Random";
    public const string SourceHash = "SourceHash";
}
