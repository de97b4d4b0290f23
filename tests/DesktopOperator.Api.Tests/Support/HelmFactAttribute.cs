namespace DesktopOperator.Api.Tests.Support;

/// <summary>
/// A fact that needs helm: skipped with a reason when helm is missing, except under CI=true, where it runs and
/// fails, so CI can never pass without having run it.
/// </summary>
internal sealed class HelmFactAttribute : FactAttribute
{
    public HelmFactAttribute()
    {
        if (Helm.Executable is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = Helm.MissingMessage;
        }
    }
}
