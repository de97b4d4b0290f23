using System.Diagnostics.Metrics;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Informers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>Kubernetes mode's route store.</summary>
internal static class SessionRouteStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SessionRouteStore"/> as a singleton and as the <see cref="IRouteStore"/>, over the
    /// <see cref="IKubernetesClient"/>, the <see cref="SharedInformerFactory"/>'s SessionRoute informer (of
    /// <paramref name="namespaceName"/>, or all namespaces), the
    /// <see cref="TimeProvider"/>, logging and (when registered) <see cref="IMeterFactory"/> from the container. The host
    /// starts the informer factory, waits for its sync before serving, and calls <see cref="SessionRouteStore.FlushAsync"/>
    /// at shutdown.
    /// </summary>
    public static IServiceCollection AddSessionRouteStore(this IServiceCollection services, string? namespaceName = null, SessionRouteStoreOptions? options = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SessionRouteStore(
            sp.GetRequiredService<IKubernetesClient>(),
            sp.GetRequiredService<SharedInformerFactory>().GetInformer(new InformerOptions<SessionRoute> { Namespace = namespaceName }),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SessionRouteStore>>(),
            options,
            sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<IRouteStore>(sp => sp.GetRequiredService<SessionRouteStore>());
        return services;
    }
}
