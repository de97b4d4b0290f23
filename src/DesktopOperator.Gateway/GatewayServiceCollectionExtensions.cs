using System.Diagnostics.Metrics;
using System.Net;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Health.Probes;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Kubernetes;
using DesktopOperator.Gateway.Pools;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Gateway.Standalone;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Accept;
using DesktopOperator.Gateway.Tcp.Relay;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Informers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway;

/// <summary>The gateway's composition, for every mode: the host program calls one of these and wires nothing itself.</summary>
internal static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the gateway as singletons: health monitor (also as <see cref="IHostHealthView"/>), the routing layer
    /// (<c>AddGatewayRouting</c>), TCP proxy metrics and listeners, the HTTP proxy's
    /// <see cref="HttpProxyConfigProvider"/> (served once the host adds <c>AddHttpGateway</c>), and the
    /// <see cref="GatewayPlanApplier"/> that puts pools into force. The caller provides the <see cref="IRouteStore"/>
    /// (or a mode method below does), logging, metrics (<see cref="IMeterFactory"/>) and the gateway's socket
    /// transport (<c>AddGatewaySocketTransport</c>), which binds the TCP ports. <paramref name="soleGateway"/>: see
    /// <see cref="RouteExpiry.SoleGateway"/>.
    /// </summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, TcpProxyOptions proxy, IPAddress listenAddress, bool soleGateway)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(listenAddress);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(proxy);
        services.TryAddSingleton(sp => new HostHealthMonitor(
            settings => ReserveReleasingProbe.Wrap(HealthProbes.Create(settings), sp.GetService<DescriptorReserve>()),
            sp.GetRequiredService<TimeProvider>(),
            Random.Shared.NextDouble,
            sp.GetRequiredService<IMeterFactory>(),
            sp.GetRequiredService<ILogger<HostHealthMonitor>>()));
        services.TryAddSingleton<IHostHealthView>(sp => sp.GetRequiredService<HostHealthMonitor>());
        services.AddGatewayRouting(soleGateway);
        services.TryAddSingleton(sp => new TcpProxyMetrics(sp.GetRequiredService<IMeterFactory>().Create(TcpProxyMetrics.MeterName)));
        services.TryAddSingleton(_ => new GatewayConnectionCap(
            proxy.MaxConnections > 0 ? proxy.MaxConnections : GatewayConnectionCap.DefaultFor(OpenFileLimit.Read())));
        services.TryAddSingleton(sp => new TcpListenerManager(
            sp.GetRequiredService<GatewaySocketTransport>(),
            sp.GetRequiredService<GatewayConnectionCap>(),
            sp.GetRequiredService<TcpProxyMetrics>(),
            sp.GetRequiredService<ILogger<TcpListenerManager>>()));
        services.TryAddSingleton(sp => new RelayLoops(proxy.RelayThreads, sp.GetRequiredService<ILogger<RelayLoop>>()));
        services.TryAddSingleton(_ => new HttpProxyConfigProvider(proxy.IdleTimeout));
        services.TryAddSingleton(sp => new GatewayPlanApplier(
            sp.GetRequiredService<PoolRegistry>(),
            sp.GetRequiredService<HostHealthMonitor>(),
            sp.GetRequiredService<TcpListenerManager>(),
            sp.GetRequiredService<IConnectionRouter>(),
            sp.GetRequiredService<TcpProxyMetrics>(),
            proxy,
            listenAddress,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<HttpProxyConfigProvider>(),
            sp.GetService<DescriptorReserve>(),
            sp.GetRequiredService<RelayLoops>()));
        return services;
    }

    /// <summary>
    /// Standalone mode: <see cref="AddGateway"/> as the sole gateway over a <see cref="FileRouteStore"/> in the state
    /// folder, driven by <see cref="StandaloneGatewayService"/> (hosted) from the manifest folder.
    /// </summary>
    public static IServiceCollection AddStandaloneGateway(
        this IServiceCollection services, StandaloneOptions standalone, TcpProxyOptions proxy, IPAddress listenAddress)
    {
        ArgumentNullException.ThrowIfNull(standalone);
        services.TryAddSingleton(standalone);
        services.TryAddSingleton<IRouteStore>(sp => new FileRouteStore(
            standalone.StateFolder, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FileRouteStore>>()));
        services.AddGateway(proxy, listenAddress, soleGateway: true);
        services.TryAddSingleton<StandaloneGatewayService>();
        services.AddHostedService(sp => sp.GetRequiredService<StandaloneGatewayService>());
        return services;
    }

    /// <summary>
    /// Kubernetes mode: <see cref="AddGateway"/> as one of several gateway replicas, fed by DesktopPools and their pods
    /// through informers of one <see cref="SharedInformerFactory"/> (over the caller's <see cref="IKubernetesClient"/>),
    /// with routes shared between replicas as SessionRoute objects (<see cref="SessionRouteStore"/>), and driven by
    /// <see cref="KubernetesGatewayService"/> (hosted).
    /// </summary>
    public static IServiceCollection AddKubernetesGateway(
        this IServiceCollection services, KubernetesGatewayOptions kubernetes, TcpProxyOptions proxy, IPAddress listenAddress)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        services.TryAddSingleton(kubernetes);
        services.AddSessionRouteStore(kubernetes.Namespace);
        services.AddGateway(proxy, listenAddress, soleGateway: false);
        services.TryAddSingleton(sp => new SharedInformerFactory(
            sp.GetRequiredService<IKubernetesClient>(), sp.GetRequiredService<TimeProvider>(), loggerFactory: sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new KubernetesPoolSource(sp.GetRequiredService<SharedInformerFactory>(), kubernetes.Namespace));
        services.TryAddSingleton<KubernetesGatewayService>();
        services.AddHostedService(sp => sp.GetRequiredService<KubernetesGatewayService>());
        return services;
    }
}
