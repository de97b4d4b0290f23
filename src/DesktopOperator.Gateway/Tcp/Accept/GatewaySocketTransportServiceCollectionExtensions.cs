using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp.Accept;

internal static class GatewaySocketTransportServiceCollectionExtensions
{
    /// <summary>
    /// Makes <see cref="GatewaySocketTransport"/> the <see cref="IConnectionListenerFactory"/> of the host (call after
    /// <c>UseSockets</c>: Kestrel takes the last registered factory) and the binder of <see cref="TcpListenerManager"/>, with
    /// <see cref="TcpProxyMetrics"/> and an <see cref="IMemoryPoolFactory{T}"/> registered. Takes the
    /// <see cref="DescriptorReserve"/> when Kestrel first resolves its transports (at start).
    /// </summary>
    public static IServiceCollection AddGatewaySocketTransport(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new DescriptorReserve(DescriptorReserve.DefaultSize, sp.GetRequiredService<ILogger<DescriptorReserve>>()));
        services.TryAddSingleton<GatewaySocketTransport>();
        services.AddSingleton<IConnectionListenerFactory>(sp => sp.GetRequiredService<GatewaySocketTransport>());
        return services;
    }
}
