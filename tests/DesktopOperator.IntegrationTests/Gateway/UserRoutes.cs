using System.Text.Json;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.IntegrationTests.Gateway;

/// <summary>Waits on the SessionRoute of one user of one pool, as the gateway and the operator write it.</summary>
internal static class UserRoutes
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    /// <summary>The user's routes in the pool, in the cluster's namespace.</summary>
    public static async Task<IReadOnlyList<SessionRoute>> OfAsync(KubeCluster cluster, string pool, string user) =>
        [.. (await cluster.Client.ListAsync<SessionRoute>(cluster.Namespace, null, CancellationToken.None)).Items
            .Where(r => r.Spec.Pool == pool && r.Spec.User == user)];

    /// <summary>
    /// Waits until the user has exactly one route in the pool and it meets <paramref name="condition"/>; returns it.
    /// The failure message names <paramref name="what"/>, every route's status seen last, and the processes' logs.
    /// </summary>
    public static async Task<SessionRoute> WaitAsync(KubeCluster cluster, string pool, string user, Func<SessionRoute, bool> condition, string what, Func<string> logs)
    {
        IReadOnlyList<SessionRoute> last = [];
        await Eventually.TrueAsync(
            async () => (last = await OfAsync(cluster, pool, user)) is [var route] && condition(route),
            () => $"{what}; routes of {user}: {JsonSerializer.Serialize(last.Select(r => r.Status))}\n{logs()}", CancellationToken.None, Wait);
        return last[0];
    }
}
