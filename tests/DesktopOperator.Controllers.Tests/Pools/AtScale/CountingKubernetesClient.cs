using System.Collections.Concurrent;
using System.Reflection;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Controllers.Tests.Pools.AtScale;

/// <summary>
/// A decorator of <see cref="IKubernetesClient"/> that counts every call by verb and kind (<c>patch Pod</c>,
/// <c>patch DesktopPool/status</c>, <c>create Pod</c>, <c>get Pod</c> …) and the bytes of the patch bodies it sends,
/// then passes the call on. Shared by the write-count tests and the reconcile benchmark (linked into
/// DesktopOperator.Benchmarks). Thread-safe.
/// </summary>
internal sealed class CountingKubernetesClient(IKubernetesClient inner) : IKubernetesClient
{
    private static readonly string[] ReadVerbs = ["get", "list", "watch"];
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private long _patchBytes;

    /// <summary>Calls so far, by <c>"verb Kind[/subresource]"</c>.</summary>
    public IReadOnlyDictionary<string, int> Calls => new SortedDictionary<string, int>(_calls, StringComparer.Ordinal);

    public int Writes => _calls.Where(c => !IsRead(c.Key)).Sum(c => c.Value);

    public int Reads => _calls.Where(c => IsRead(c.Key)).Sum(c => c.Value);

    public long PatchBytes => Interlocked.Read(ref _patchBytes);

    public void Reset()
    {
        _calls.Clear();
        Interlocked.Exchange(ref _patchBytes, 0);
    }

    public Task<T> GetAsync<T>(string name, string? namespaceName, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Count<T>("get");
        return inner.GetAsync<T>(name, namespaceName, cancellationToken);
    }

    public Task<KubernetesList<T>> ListAsync<T>(string? namespaceName, ListOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Count<T>("list");
        return inner.ListAsync<T>(namespaceName, options, cancellationToken);
    }

    public IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? namespaceName, WatchOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Count<T>("watch");
        return inner.WatchAsync<T>(namespaceName, options, cancellationToken);
    }

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Count<T>("create");
        return inner.CreateAsync(obj, cancellationToken);
    }

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Count<T>("update");
        return inner.ReplaceAsync(obj, cancellationToken);
    }

    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Count<T>("update", "status");
        return inner.ReplaceStatusAsync(obj, cancellationToken);
    }

    public Task<T> PatchAsync<T>(string name, string? namespaceName, V1Patch patch, PatchOptions? options, string? subresource, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(patch);
        Count<T>("patch", subresource);
        Interlocked.Add(ref _patchBytes, patch.Content is string body ? System.Text.Encoding.UTF8.GetByteCount(body) : 0);
        return inner.PatchAsync<T>(name, namespaceName, patch, options, subresource, cancellationToken);
    }

    public Task<T?> DeleteAsync<T>(string name, string? namespaceName, DeleteOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Count<T>("delete");
        return inner.DeleteAsync<T>(name, namespaceName, options, cancellationToken);
    }

    private static bool IsRead(string call) => ReadVerbs.Contains(call[..call.IndexOf(' ', StringComparison.Ordinal)]);

    private void Count<T>(string verb, string? subresource = null)
    {
        var kind = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()?.Kind ?? typeof(T).Name;
        _calls.AddOrUpdate(subresource is null ? $"{verb} {kind}" : $"{verb} {kind}/{subresource}", 1, (_, n) => n + 1);
    }
}
