using DesktopOperator.Testing;
using DesktopOperator.IntegrationTests.Conformance;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Testing.ApiServer;
using k8s;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Kube;

/// <summary>
/// Where a typed-client test runs: a <see cref="TestApiServer"/> with the repository's CRDs, or (for tests that need
/// no fault injection) the real cluster named by <see cref="RealClusterTarget.EnvironmentVariable"/>, whose CRDs must
/// be installed. Each cluster gets a fresh namespace, deleted at the end.
/// </summary>
internal sealed class KubeCluster : IAsyncDisposable
{
    /// <summary>Short waits so retried requests keep the tests fast.</summary>
    public static readonly KubeRetryPolicy FastRetries = new() { BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) };

    private readonly KubeClientSettings _settings;

    private KubeCluster(TestApiServer? server, KubeClientSettings settings, KubernetesClient client, string namespaceName)
    {
        _settings = settings;
        Server = server;
        Client = client;
        Namespace = namespaceName;
    }

    /// <summary>Null on a real cluster.</summary>
    public TestApiServer? Server { get; }

    public TestApiServer TestServer => Server ?? throw new InvalidOperationException("this test needs the TestApiServer");

    public KubernetesClient Client { get; }

    public string Namespace { get; }

    /// <summary>The real cluster when configured and <paramref name="allowReal"/>; the TestApiServer otherwise.</summary>
    public static async Task<KubeCluster> StartAsync(bool allowReal = true, Action<TestApiServerOptions>? configure = null)
    {
        var ns = "it-" + Guid.NewGuid().ToString("N")[..8];
        if (allowReal && RealClusterTarget.FromEnvironment() is { } real)
        {
            var realClient = new KubernetesClient(real, retryPolicy: FastRetries);
            await realClient.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, CancellationToken.None);
            return new KubeCluster(null, real, realClient, ns);
        }

        var options = new TestApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(300) };
        options.Namespaces.Add(ns);
        foreach (var crd in RepositoryPaths.CrdFiles())
        {
            options.CrdFiles.Add(crd);
        }

        configure?.Invoke(options);
        var server = new TestApiServer(options);
        await server.StartAsync();
        var config = new KubeClientSettings { Host = server.BaseAddress, AccessToken = options.BearerToken };
        return new KubeCluster(server, config, new KubernetesClient(config, retryPolicy: FastRetries), ns);
    }

    /// <summary>Another client of the same server (e.g. a second replica).</summary>
    public KubernetesClient NewClient() => new(_settings, retryPolicy: FastRetries);

    public async ValueTask DisposeAsync()
    {
        if (Server is null)
        {
            try
            {
                await Client.DeleteAsync<V1Namespace>(Namespace, null, null, CancellationToken.None);
            }
            catch (KubeNotFoundException)
            {
                // Already gone: nothing to clean up.
            }
        }
        else
        {
            await Server.DisposeAsync();
        }

        Client.Dispose();
    }
}
