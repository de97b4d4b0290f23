namespace DesktopOperator.EndToEndTests.Health;

/// <summary>
/// A fact that needs a Debian program (installed by <c>.ci/install-tools</c>). Without it the test is skipped with
/// a reason, except under <c>CI=true</c>, where it runs and fails.
/// </summary>
internal sealed class RequiresExecutableFactAttribute : FactAttribute
{
    public RequiresExecutableFactAttribute(params string[] paths)
    {
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0 && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"missing {string.Join(", ", missing)} (run .ci/install-tools); set CI=true to make this a failure.";
        }
    }
}
