using System.Net;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Kubernetes;
using DesktopOperator.Gateway.Pools;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Gateway.Standalone;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Accept;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DesktopOperator.Gateway.Tests;

public sealed class GatewayServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-di-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AddStandaloneGateway_ResolvesEveryPartOverTheFileStore()
    {
        var standalone = new StandaloneOptions { ManifestFolder = Path.Combine(_folder, "pools"), StateFolder = Path.Combine(_folder, "state") };
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<IMemoryPoolFactory<byte>>(new ProxyMemoryPoolFactory())
            .AddGatewaySocketTransport()
            .AddStandaloneGateway(standalone, new TcpProxyOptions(), IPAddress.Loopback);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<FileRouteStore>(provider.GetRequiredService<IRouteStore>());
        Assert.Same(provider.GetRequiredService<HostHealthMonitor>(), provider.GetRequiredService<IHostHealthView>());
        Assert.IsType<ConnectionRouter>(provider.GetRequiredService<IConnectionRouter>());
        Assert.NotNull(provider.GetRequiredService<GatewayPlanApplier>());
        Assert.True(provider.GetRequiredService<RouteExpiry>().SoleGateway);
        Assert.Equal([typeof(RouteExpiry), typeof(StandaloneGatewayService)], provider.GetServices<IHostedService>().Select(s => s.GetType()));
    }

    [Fact]
    public async Task AddKubernetesGateway_ResolvesEveryPartAsOneOfSeveralReplicas()
    {
        using var client = new KubernetesClient(new KubeClientSettings { Host = new Uri("http://127.0.0.1:1/") });
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<IMemoryPoolFactory<byte>>(new ProxyMemoryPoolFactory())
            .AddGatewaySocketTransport()
            .AddSingleton<IKubernetesClient>(client)
            .AddKubernetesGateway(new KubernetesGatewayOptions { Namespace = "desktops" }, new TcpProxyOptions(), IPAddress.Loopback);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<SessionRouteStore>(provider.GetRequiredService<IRouteStore>());
        Assert.Single(services, d => d.ServiceType == typeof(IRouteStore));
        Assert.NotNull(provider.GetRequiredService<KubernetesPoolSource>());
        Assert.False(provider.GetRequiredService<RouteExpiry>().SoleGateway);
        Assert.Equal([typeof(RouteExpiry), typeof(KubernetesGatewayService)], provider.GetServices<IHostedService>().Select(s => s.GetType()));
        Assert.Equal("the informer caches (DesktopPools, host pods) have not synced yet", provider.GetRequiredService<KubernetesGatewayService>().NotReadyReason);
    }
}
