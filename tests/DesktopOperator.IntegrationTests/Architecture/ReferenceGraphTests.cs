using System.Reflection;

namespace DesktopOperator.IntegrationTests.Architecture;

/// <summary>Dependencies point one way (STYLE.md section 2); a reference against the grain fails here.</summary>
public sealed class ReferenceGraphTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["DesktopOperator.Kube"] = [],
        ["DesktopOperator.Metrics"] = [],
        ["DesktopOperator.Runtime"] = ["DesktopOperator.Kube"],
        ["DesktopOperator.Api"] = ["DesktopOperator.Kube"],
        ["DesktopOperator.Gateway"] = ["DesktopOperator.Kube", "DesktopOperator.Api", "DesktopOperator.Runtime"],
        ["DesktopOperator.Controllers"] = ["DesktopOperator.Kube", "DesktopOperator.Api", "DesktopOperator.Runtime"],
    };

    public static TheoryData<string> Assemblies() => new(Allowed.Keys);

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void ProjectAssembly_ReferencesOnlyAllowedProjectAssemblies(string name)
    {
        var ours = Assembly.Load(name).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("DesktopOperator", StringComparison.Ordinal) || n == "desktop-operator")
            .ToList();

        Assert.All(ours, reference => Assert.Contains(reference, Allowed[name]));
    }

    /// <summary>
    /// Kube takes KubernetesClient (models and entities) and YamlDotNet for kubeconfig files (flow collections,
    /// quoting and block scalars of real kubeconfigs are more than a hand-written subset parser should attempt);
    /// Metrics takes nothing.
    /// </summary>
    [Theory]
    [InlineData("DesktopOperator.Kube", "YamlDotNet KubernetesClient")]
    [InlineData("DesktopOperator.Metrics", null)]
    public void KubeAndMetrics_ReferenceNoOtherThirdPartyPackages(string name, string? allowed)
    {
        var foreign = Assembly.Load(name).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => !n.StartsWith("System", StringComparison.Ordinal) && !n.StartsWith("Microsoft.", StringComparison.Ordinal))
            .Where(n => n != "netstandard" && !(allowed ?? "").Split(' ').Contains(n))
            .ToList();

        Assert.True(foreign.Count == 0, $"{name} references {string.Join(", ", foreign)}");
    }
}
