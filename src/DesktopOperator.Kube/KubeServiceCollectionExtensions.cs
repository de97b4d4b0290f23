using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using k8s;

namespace DesktopOperator.Kube;

/// <summary>Registers the API clients of one cluster as singletons.</summary>
public static class KubeServiceCollectionExtensions
{
    /// <summary>
    /// Adds <paramref name="settings"/>, KubernetesClient's <see cref="Kubernetes"/> built by
    /// <see cref="KubernetesFactory"/> (also as <see cref="IKubernetes"/>: typed verbs CoreV1, CoordinationV1,
    /// EventsV1, CustomObjects, ...) and our <see cref="IKubernetesClient"/> on that same object, so both share one
    /// connection pool, credential provider and retry policy. Both use the container's <see cref="TimeProvider"/> and
    /// <see cref="ILoggerFactory"/> when registered.
    /// </summary>
    public static IServiceCollection AddKubernetesClients(this IServiceCollection services, KubeClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddSingleton(provider => KubernetesFactory.Create(
            settings,
            provider.GetService<ILoggerFactory>()?.CreateLogger("DesktopOperator.Kube.Kubernetes"),
            provider.GetService<TimeProvider>()));
        services.AddSingleton<IKubernetes>(provider => provider.GetRequiredService<Kubernetes>());
        services.AddSingleton<IKubernetesClient>(provider => new KubernetesClient(
            provider.GetRequiredService<Kubernetes>(),
            provider.GetService<ILoggerFactory>()?.CreateLogger<KubernetesClient>(),
            provider.GetService<TimeProvider>()));
        return services;
    }
}
