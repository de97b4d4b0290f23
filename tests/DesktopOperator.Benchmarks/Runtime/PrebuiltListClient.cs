using System.Runtime.CompilerServices;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Benchmarks.Runtime;

/// <summary>
/// Serves LIST pages from objects built in advance and a watch that stays open without events, so a benchmark
/// measures the informer's own cost (paging, store, indexes, dispatch) without any JSON decoding.
/// </summary>
internal sealed class PrebuiltListClient<TItem>(IReadOnlyList<TItem> items) : IKubernetesClient
    where TItem : class, IKubernetesObject<V1ObjectMeta>
{
    public Task<KubernetesList<T>> ListAsync<T>(string? namespaceName, ListOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var start = options?.Continue is { } token ? int.Parse(token, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var limit = options?.Limit ?? items.Count;
        var page = new KubernetesList<T>([.. items.Skip(start).Take(limit).Cast<T>()], "v1", "List", new V1ListMeta());
        page.Metadata.ResourceVersion = "1";
        page.Metadata.ContinueProperty = start + limit < items.Count ? (start + limit).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return Task.FromResult(page);
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? namespaceName, WatchOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            yield break;
        }

        yield break;
    }

    public Task<T> GetAsync<T>(string name, string? namespaceName, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();

    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();

    public Task<T> PatchAsync<T>(string name, string? namespaceName, V1Patch patch, PatchOptions? options, string? subresource, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();

    public Task<T?> DeleteAsync<T>(string name, string? namespaceName, DeleteOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();
}
