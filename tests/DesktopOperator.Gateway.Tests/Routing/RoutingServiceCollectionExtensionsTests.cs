using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Routing;

public sealed class RoutingServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddGatewayRouting_WithStoreAndHealth_RouterRoutesFromRegistry()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<IRouteStore, InMemoryRouteStore>()
            .AddSingleton<IHostHealthView, TestHealthView>()
            .AddGatewayRouting();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        provider.GetRequiredService<PoolRegistry>().Update([Pool()]);
        var decision = await provider.GetRequiredService<IConnectionRouter>().RouteAsync(Request(), [], CancellationToken.None);

        Assert.Equal(RoutingResult.Routed, decision.Result);
        Assert.Same(provider.GetRequiredService<PoolRegistry>(), provider.GetRequiredService<IPoolSnapshotSource>());
        Assert.IsType<RouteExpiry>(Assert.Single(provider.GetServices<IHostedService>()));
    }
}
