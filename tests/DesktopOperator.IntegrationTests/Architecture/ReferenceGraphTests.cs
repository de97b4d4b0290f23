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

    [Fact]
    public void KubeAndMetrics_DoNotReferenceThirdPartyPackages()
    {
        foreach (var name in new[] { "DesktopOperator.Kube", "DesktopOperator.Metrics" })
        {
            var foreign = Assembly.Load(name).GetReferencedAssemblies()
                .Select(a => a.Name!)
                .Where(n => !n.StartsWith("System", StringComparison.Ordinal) && !n.StartsWith("Microsoft.", StringComparison.Ordinal) && n != "netstandard")
                .ToList();

            Assert.True(foreign.Count == 0, $"{name} references {string.Join(", ", foreign)}");
        }
    }
}
