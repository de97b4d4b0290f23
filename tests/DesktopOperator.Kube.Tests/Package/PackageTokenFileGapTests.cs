using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Kube.Tests.Support;
using DesktopOperator.Testing.ApiServer;
using k8s;

namespace DesktopOperator.Kube.Tests.Package;

/// <summary>
/// kubeconfig users with <c>tokenFile</c>: KubernetesClient 21.0.8's loader refuses them; ours reads the file and
/// follows its rotation, also under the package's typed verbs.
/// </summary>
public sealed class PackageTokenFileGapTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly TestApiServer _server = new(new TestApiServerOptions { BearerToken = "first" });

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task TokenFileUser_PackageLoaderRefusesIt_OursFollowsTheRotatedFile()
    {
        var tokenPath = _folder.Write("token", "first");
        var configPath = _folder.Write("config", $$"""
            apiVersion: v1
            kind: Config
            current-context: c
            clusters:
            - name: k
              cluster: {server: "{{_server.BaseAddress}}"}
            contexts:
            - name: c
              context: {cluster: k, user: u, namespace: default}
            users:
            - name: u
              user: {tokenFile: "{{tokenPath}}"}
            """);

        var refused = Assert.Throws<k8s.Exceptions.KubeConfigException>(() => KubernetesClientConfiguration.BuildConfigFromConfigFile(configPath));
        Assert.Contains("does not have appropriate auth credentials", refused.Message, StringComparison.Ordinal);

        using var ours = KubernetesFactory.Create(KubeClientSettings.BuildConfigFromConfigFile(configPath));
        await ours.CoreV1.ListNamespacedConfigMapAsync("default");
        _folder.Write("token", "second");
        File.SetLastWriteTimeUtc(tokenPath, DateTime.UtcNow.AddMinutes(1));
        _server.Options.BearerToken = "second";
        var afterRotation = await ours.CoreV1.ListNamespacedConfigMapAsync("default");

        Assert.NotNull(afterRotation.Items);
    }
}
