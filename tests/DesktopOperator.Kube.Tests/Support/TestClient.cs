using System.Collections.Concurrent;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Testing.ApiServer;

namespace DesktopOperator.Kube.Tests.Support;

/// <summary>A client for a test server whose retry waits are recorded instead of slept.</summary>
internal static class TestClient
{
    public static KubernetesClient For(TestApiServer server, ConcurrentQueue<TimeSpan>? delays = null, KubeRetryPolicy? policy = null, TimeProvider? time = null) =>
        For(server.ClientSettings("test-token"), delays, policy, time);

    public static KubernetesClient For(KubeClientSettings config, ConcurrentQueue<TimeSpan>? delays = null, KubeRetryPolicy? policy = null, TimeProvider? time = null) =>
        new(KubernetesFactory.Create(config, null, time, policy,
            delay: (wait, _) =>
            {
                delays?.Enqueue(wait);
                return Task.CompletedTask;
            },
            random: () => 0.5), null, time, ownsKubernetes: true);
}
