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
    /// Adds <paramref name="settings"/>, KubernetesClient's <see cref="IKubernetes"/> built by
    /// <see cref="KubernetesFactory"/> (typed verbs: CoreV1, CoordinationV1, EventsV1, CustomObjects, ...) and our
    /// <see cref="IKubernetesClient"/>. Both use the container's <see cref="TimeProvider"/> and
    /// <see cref="ILoggerFactory"/> when registered.
    /// </summary>
    public static IServiceCollection AddKubernetesClients(this IServiceCollection services, KubeClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddSingleton<IKubernetes>(provider => KubernetesFactory.Create(
            settings,
            provider.GetService<ILoggerFactory>()?.CreateLogger("DesktopOperator.Kube.Kubernetes"),
            provider.GetService<TimeProvider>()));
        services.AddSingleton<IKubernetesClient>(provider => new KubernetesClient(
            settings,
            provider.GetService<ILoggerFactory>()?.CreateLogger<KubernetesClient>(),
            provider.GetService<TimeProvider>()));
        return services;
    }
}
