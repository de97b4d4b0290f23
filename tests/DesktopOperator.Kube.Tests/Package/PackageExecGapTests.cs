using System.Runtime.Versioning;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Kube.Tests.Support;
using DesktopOperator.Testing.ApiServer;
using k8s;
using k8s.KubeConfigModels;

namespace DesktopOperator.Kube.Tests.Package;

/// <summary>
/// Where KubernetesClient 21.0.8's exec plugin runner falls short (README, "Dependencies and why"): the package's
/// <c>ExecuteExternalCommand</c> runs the same plugin as ours (<see cref="KubernetesFactory"/> over our loader).
/// Should a new version fix a gap, its package assertion fails and our runner can be reconsidered.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PackageExecGapTests : IDisposable
{
    private const string ApiVersion = "client.authentication.k8s.io/v1";

    private readonly TempFolder _folder = new();

    private string ArgsFile => Path.Combine(_folder.Path, "args");

    [Fact]
    public async Task ArgumentWithSpaces_PackageSplitsIt_OursPassesItIntact()
    {
        var plugin = _folder.WriteScript("plugin.sh", $$$"""
            #!/bin/sh
            printf '%s\n' "$#" "$@" > "{{{ArgsFile}}}"
            echo '{"apiVersion":"{{{ApiVersion}}}","kind":"ExecCredential","status":{"token":"t"}}'
            """);

        // The package joins the arguments with spaces into one command line.
        KubernetesClientConfiguration.ExecuteExternalCommand(new ExternalExecution { ApiVersion = ApiVersion, Command = plugin, Arguments = ["two words"] });
        Assert.Equal(["2", "two", "words"], File.ReadAllLines(ArgsFile));

        await using var server = await TestApiServer.StartNewAsync(o => o.BearerToken = "t");
        using var ours = KubernetesFactory.Create(KubeClientSettings.BuildConfigFromConfigFile(Kubeconfig(server.BaseAddress, plugin, """["two words"]""")));
        await ours.CoreV1.ReadNamespaceAsync("default");
        Assert.Equal(["1", "two words"], File.ReadAllLines(ArgsFile));
        Assert.Equal("Bearer t", server.Requests.Snapshot()[0].Authorization);
    }

    [Fact]
    public async Task OutputOfAnotherKind_PackageAcceptsIt_OursRefusesIt()
    {
        var plugin = _folder.WriteScript("plugin.sh", $$$"""
            #!/bin/sh
            echo '{"apiVersion":"{{{ApiVersion}}}","kind":"Secret","status":{"token":"t"}}'
            """);

        var accepted = KubernetesClientConfiguration.ExecuteExternalCommand(new ExternalExecution { ApiVersion = ApiVersion, Command = plugin });
        Assert.Equal("t", accepted.Status.Token);

        await using var server = await TestApiServer.StartNewAsync(o => o.BearerToken = "t");
        using var ours = KubernetesFactory.Create(KubeClientSettings.BuildConfigFromConfigFile(Kubeconfig(server.BaseAddress, plugin, "[]")));
        var refused = await Assert.ThrowsAsync<KubeConfigException>(() => ours.CoreV1.ReadNamespaceAsync("default"));
        Assert.Contains("printed kind 'Secret', expected 'ExecCredential'", refused.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests.Snapshot());
    }

    public void Dispose() => _folder.Dispose();

    private string Kubeconfig(Uri server, string plugin, string args) => _folder.Write("config", $"""
        current-context: c
        clusters: [{"{"}name: k, cluster: {"{"}server: "{server}"{"}"}{"}"}]
        contexts: [{"{"}name: c, context: {"{"}cluster: k, user: u{"}"}{"}"}]
        users:
        - name: u
          user:
            exec:
              apiVersion: {ApiVersion}
              command: {plugin}
              args: {args}
        """);
}
