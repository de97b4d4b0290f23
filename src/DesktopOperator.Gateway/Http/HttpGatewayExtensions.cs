using DesktopOperator.Gateway.Tcp.Accept;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace DesktopOperator.Gateway.Http;

/// <summary>Wiring of the HTTP proxy: YARP fed by <see cref="HttpProxyConfigProvider"/>, routed by <see cref="HttpRoutingMiddleware"/>.</summary>
internal static class HttpGatewayExtensions
{
    /// <summary>
    /// Registers YARP over the gateway's <see cref="HttpProxyConfigProvider"/> (from <c>AddGateway</c>), the options
    /// and fixed cookie keys (<paramref name="keys"/> is called once, at first use).
    /// </summary>
    public static IServiceCollection AddHttpGateway(this IServiceCollection services, HttpGatewayOptions options, Func<AffinityCookieKeys> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return services.AddHttpGateway(options, _ => new FixedAffinityCookieKeys(keys));
    }

    /// <summary>
    /// As above, with the keys of a keys file (<paramref name="loaded"/> were read from <paramref name="path"/> at
    /// startup), read again when the file changes: see <see cref="AffinityCookieKeyFile"/>.
    /// </summary>
    public static IServiceCollection AddHttpGateway(this IServiceCollection services, HttpGatewayOptions options, string path, AffinityCookieKeys loaded) =>
        services.AddHttpGateway(options, sp => new AffinityCookieKeyFile(
            path, loaded, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AffinityCookieKeyFile>>()));

    private static IServiceCollection AddHttpGateway(this IServiceCollection services, HttpGatewayOptions options, Func<IServiceProvider, IAffinityCookieKeySource> keys)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton(keys);
        services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<HttpProxyConfigProvider>());
        services.AddReverseProxy();
        // Host sockets through the descriptor reserve's guard, where the gateway's TCP transport registered one.
        services.Replace(ServiceDescriptor.Singleton<IForwarderHttpClientFactory>(sp =>
        {
            var logger = sp.GetRequiredService<ILogger<ForwarderHttpClientFactory>>();
            return sp.GetService<DescriptorReserve>() is { } reserve
                ? new ReserveGuardedHttpClientFactory(reserve, logger)
                : new ForwarderHttpClientFactory(logger);
        }));
        return services;
    }

    /// <summary>
    /// Maps the Http pools' routes: our routing step picks the host, YARP's load balancing then only takes the one
    /// destination left; YARP's own session affinity and health checks are not in the pipeline.
    /// </summary>
    public static IEndpointRouteBuilder MapDesktopProxy(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapReverseProxy(pipeline =>
        {
            pipeline.UseMiddleware<HttpRoutingMiddleware>();
            pipeline.UseLoadBalancing();
        });
        return endpoints;
    }
}
