using DesktopOperator.Gateway.Standalone;
using DesktopOperator.Gateway.Tests.Pools;

namespace DesktopOperator.Gateway.Tests.Standalone;

public sealed class StandalonePoolLoaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("loader-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_ValidPool_DefaultsNamespaceAndSpec()
    {
        var result = StandalonePoolLoader.Load(PoolManifests.Write(_folder, "vnc.yaml", PoolManifests.Vnc()));

        var pool = Assert.Single(result.Resources);
        Assert.Equal("default", pool.Metadata.NamespaceProperty);
        Assert.Equal(1, pool.Spec.Capacity.SessionsPerHost);
        Assert.Equal("1s", pool.Spec.HealthCheck.Timeout);
    }

    [Fact]
    public void Load_BrokenYaml_NamesLineAndColumn()
    {
        var result = StandalonePoolLoader.Load(PoolManifests.Write(_folder, "bad.yaml", "kind: DesktopPool\nspec: [unclosed\n"));

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("line ", error, StringComparison.Ordinal);
        Assert.Empty(result.Resources);
    }

    [Fact]
    public void Load_RuleBroken_ReportsFieldAndWhy()
    {
        var manifest = PoolManifests.Vnc().Replace("port: 5901", "port: 70000", StringComparison.Ordinal);

        var result = StandalonePoolLoader.Load(PoolManifests.Write(_folder, "range.yaml", manifest));

        Assert.Empty(result.Resources);
        Assert.Contains(result.Errors, e => e.StartsWith("spec.protocols[0].port: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_TemplatePool_IsRejectedBecauseStandaloneRunsNoPods()
    {
        var manifest = """
            apiVersion: desktop-operator.io/v1alpha1
            kind: DesktopPool
            metadata:
              name: pods
            spec:
              template:
                spec:
                  containers:
                    - name: xrdp
                      image: example/xrdp:1
              protocols:
                - name: rdp
                  kind: Rdp
                  port: 3389
                  gatewayPort: 3389
            """;

        var result = StandalonePoolLoader.Load(PoolManifests.Write(_folder, "pods.yaml", manifest));

        Assert.Contains(result.Errors, e => e.StartsWith("spec.template: standalone mode", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SeveralDocumentsWithOneBad_NamesThePoolAndSkipsTheFile()
    {
        var manifest = PoolManifests.Vnc("good") + "\n---\n" + PoolManifests.Vnc("bad", gatewayPort: 0);

        var result = StandalonePoolLoader.Load(PoolManifests.Write(_folder, "two.yaml", manifest));

        Assert.Empty(result.Resources);
        Assert.Contains(result.Errors, e => e.StartsWith("DesktopPool 'bad': spec.protocols[0].gatewayPort: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SessionRoute_IsRejectedWithTheReason()
    {
        var manifest = """
            apiVersion: desktop-operator.io/v1alpha1
            kind: SessionRoute
            metadata:
              name: alice
            spec:
              pool: vnc
              user: alice
            """;

        var result = StandalonePoolLoader.Load(PoolManifests.Write(_folder, "route.yaml", manifest));

        Assert.Equal(["kind: standalone mode reads DesktopPools only; routes live in the state folder"], result.Errors);
    }
}
