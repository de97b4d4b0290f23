using System.Runtime.Versioning;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Kube.Tests.Support;
using DesktopOperator.Testing.ApiServer;
using Microsoft.Extensions.DependencyInjection;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Client;

/// <summary>
/// Our generic verbs (<see cref="IKubernetesClient"/>) ride on the package's <see cref="Kubernetes"/>: with the
/// clients registered by <see cref="KubeServiceCollectionExtensions.AddKubernetesClients"/>, typed and generic calls
/// share one credential provider (an exec plugin runs once, not once per client) and one connection pool.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SharedHttpStackTests : IAsyncLifetime, IDisposable
{
    private const string Token = "from-the-plugin";

    private readonly TestApiServer _server = new(new TestApiServerOptions { BearerToken = Token });
    private readonly TempFolder _folder = new();

    private string RunsFile => Path.Combine(_folder.Path, "runs");

    public Task InitializeAsync() => _server.StartAsync();

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task TypedLeaseVerbsAndGenericPodList_ExecPlugin_RunOnceOverOneConnection()
    {
        using var services = new ServiceCollection().AddKubernetesClients(ExecPluginSettings()).BuildServiceProvider();
        var typed = services.GetRequiredService<IKubernetes>();
        var generic = services.GetRequiredService<IKubernetesClient>();
        var lease = new V1Lease { ApiVersion = "coordination.k8s.io/v1", Kind = "Lease", Metadata = new V1ObjectMeta { Name = "leader" }, Spec = new V1LeaseSpec { HolderIdentity = "a" } };

        await typed.CoordinationV1.CreateNamespacedLeaseAsync(lease, "default");
        var read = await typed.CoordinationV1.ReadNamespacedLeaseAsync("leader", "default");
        var pods = await generic.ListAsync<V1Pod>("default", null, CancellationToken.None);
        var same = await generic.GetAsync<V1Lease>("leader", "default", CancellationToken.None);

        Assert.Equal("a", read.Spec.HolderIdentity);
        Assert.Empty(pods.Items);
        Assert.Equal(read.Metadata.ResourceVersion, same.Metadata.ResourceVersion);
        Assert.Single(File.ReadAllLines(RunsFile));
        var requests = _server.Requests.Snapshot();
        Assert.Equal(4, requests.Count);
        Assert.All(requests, r => Assert.Equal("Bearer " + Token, r.Authorization));
        // Sequential calls on one handler reuse its kept-alive connection; two stacks would open two.
        Assert.Single(requests.Select(r => r.ConnectionId).Distinct());
    }

    private KubeClientSettings ExecPluginSettings()
    {
        // No expirationTimestamp: the credential stays valid until a 401, so one run serves every request.
        var plugin = _folder.WriteScript("plugin.sh", $$$"""
            #!/bin/sh
            echo run >> "{{{RunsFile}}}"
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"{{{Token}}}"}}'
            """);
        return KubeClientSettings.BuildConfigFromConfigFile(_folder.Write("config", $$$"""
            current-context: c
            clusters: [{name: k, cluster: {server: "{{{_server.BaseAddress}}}"}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: {{{plugin}}}
            """));
    }
}
