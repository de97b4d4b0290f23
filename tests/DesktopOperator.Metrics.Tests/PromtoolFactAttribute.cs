namespace DesktopOperator.Metrics.Tests;

/// <summary>
/// A fact that needs Debian's <c>promtool</c> (package <c>prometheus</c>). Without it the test is skipped with a
/// reason, except under <c>CI=true</c>, where it runs and fails: CI installs the tool, so its absence is a fault.
/// </summary>
internal sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        if (Promtool.Path is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "promtool not found on PATH (install Debian package 'prometheus', or run .ci/install-tools); set CI=true to make this a failure.";
        }
    }
}
