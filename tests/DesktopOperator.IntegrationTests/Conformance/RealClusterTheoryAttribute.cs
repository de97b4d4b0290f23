namespace DesktopOperator.IntegrationTests.Conformance;

/// <summary>A theory that runs only when a real cluster is configured; otherwise it is skipped with the reason.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealClusterTheoryAttribute : TheoryAttribute
{
    public RealClusterTheoryAttribute()
    {
        if (RealClusterTarget.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
