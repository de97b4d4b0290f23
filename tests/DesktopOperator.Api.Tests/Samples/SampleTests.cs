using DesktopOperator.Testing;
using DesktopOperator.Api.Tests.Support;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Api.Validation;
using DesktopOperator.Api.Yaml;

namespace DesktopOperator.Api.Tests.Samples;

public sealed class SampleTests
{
    public static TheoryData<string> SampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.PathOf("config", "samples"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Sample_Loads_AndPassesTheCSharpRules(string file)
    {
        var objects = ResourceYaml.LoadAll(File.ReadAllText(RepositoryPaths.PathOf("config", "samples", file)), file);

        Assert.NotEmpty(objects);
        foreach (var item in objects)
        {
            var errors = ResourceValidator.Validate(item);
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
    }

    [Fact]
    public void Samples_CoverEveryKindTheIssueAsksFor()
    {
        var pools = Load<DesktopPool>().ToList();

        Assert.Contains(pools, p => p.Spec.Template is not null && p.Spec.Protocols.Any(x => x.Kind == ProtocolKind.Rdp));
        Assert.Contains(pools, p => p.Spec.Protocols.Any(x => x.Kind == ProtocolKind.Vnc));
        Assert.Contains(pools, p => p.Spec.StaticHosts is not null && p.Spec.Protocols.Any(x => x.Kind == ProtocolKind.Ssh));
        Assert.Contains(pools, p => p.Spec.Protocols.Any(x => x.Kind == ProtocolKind.Http));
        Assert.NotEmpty(Load<SessionRoute>());
    }

    [Fact]
    public void SampleRoute_FitsItsSamplePool()
    {
        var pools = Load<DesktopPool>().ToDictionary(p => p.Metadata.Name!);
        foreach (var route in Load<SessionRoute>())
        {
            var errors = SessionRouteValidator.ValidateAgainstPool(route, pools[route.Spec.Pool]);
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
    }

    private static IEnumerable<T> Load<T>() =>
        Directory.GetFiles(RepositoryPaths.PathOf("config", "samples"), "*.yaml")
            .SelectMany(f => ResourceYaml.LoadAll(File.ReadAllText(f), Path.GetFileName(f)))
            .OfType<T>();
}
