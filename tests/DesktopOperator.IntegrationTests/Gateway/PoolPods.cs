using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Kube.Client;
using DesktopOperator.Testing.Waiting;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Gateway;

/// <summary>The pods of one pool as the API server has them (label <c>desktop-operator.io/pool</c>).</summary>
internal sealed class PoolPods(KubeCluster cluster, string pool)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    public async Task<IList<V1Pod>> ListAsync() =>
        (await cluster.Client.ListAsync<V1Pod>(cluster.Namespace, new ListOptions { LabelSelector = $"desktop-operator.io/pool={pool}" }, CancellationToken.None)).Items;

    /// <summary>Waits until the pool has exactly <paramref name="count"/> pods, all Running with an address.</summary>
    public async Task<IList<V1Pod>> RunningAsync(int count, Func<string> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        IList<V1Pod> pods = [];
        await Eventually.TrueAsync(
            async () => (pods = await ListAsync()).Count == count && pods.All(p => p.Status?.Phase == "Running" && p.Status.PodIP is not null),
            () => $"{count} running hosts\n{logs()}", CancellationToken.None, Wait);
        return pods;
    }
}
