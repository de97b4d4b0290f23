using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Routing;

internal static class RoutingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the routing layer as singletons: <see cref="PoolRegistry"/> (also as <see cref="IPoolSnapshotSource"/>),
    /// balancing state over <see cref="Random.Shared"/>, <see cref="SessionTracker"/>, <see cref="RoutingMetrics"/>,
    /// <see cref="ConnectionRouter"/> as <see cref="IConnectionRouter"/>, and <see cref="RouteExpiry"/> as a hosted
    /// service. The caller provides <see cref="IRouteStore"/> and <see cref="Health.IHostHealthView"/>; a
    /// <see cref="TimeProvider"/> defaults to the system clock. <paramref name="soleGateway"/>: one gateway owns the
    /// route store (standalone mode), so Active routes without a connection here are leftovers of an earlier run.
    /// </summary>
    public static IServiceCollection AddGatewayRouting(this IServiceCollection services, bool soleGateway = true)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PoolRegistry>();
        services.TryAddSingleton<IPoolSnapshotSource>(sp => sp.GetRequiredService<PoolRegistry>());
        services.TryAddSingleton<IBalancingState>(_ => new BalancingState(Random.Shared));
        services.TryAddSingleton<SessionTracker>();
        services.TryAddSingleton<RoutingMetrics>();
        services.TryAddSingleton<ConnectionRouter>();
        services.TryAddSingleton<IConnectionRouter>(sp => sp.GetRequiredService<ConnectionRouter>());
        services.TryAddSingleton(sp => new RouteExpiry(
            sp.GetRequiredService<IPoolSnapshotSource>(),
            sp.GetRequiredService<IRouteStore>(),
            sp.GetRequiredService<SessionTracker>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RouteExpiry>>())
        {
            SoleGateway = soleGateway,
        });
        services.AddHostedService(sp => sp.GetRequiredService<RouteExpiry>());
        return services;
    }
}
