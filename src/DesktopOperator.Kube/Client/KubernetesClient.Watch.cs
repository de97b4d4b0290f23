using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

public sealed partial class KubernetesClient
{
    /// <inheritdoc />
    /// <remarks>
    /// Opening the stream is retried like a read (5xx, 429, connection errors) by the package's pipeline. Once open, a broken connection
    /// surfaces as <see cref="HttpRequestException"/> or <see cref="IOException"/>; the caller (an informer)
    /// re-opens from its last resourceVersion. The server's <c>timeoutSeconds</c> ends the stream cleanly.
    /// </remarks>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? namespaceName, WatchOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var path = ResourceUrl.WithQuery(
            ResourceUrl.Build(EntityInfo<T>.Entity, namespaceName, null, null, namespaceRequired: false),
            KubeQuery.Of(options ?? new WatchOptions()));
        var (response, stream) = await OpenWatchAsync(path, cancellationToken).ConfigureAwait(false);
        if (response is null || stream is null)
        {
            yield break;
        }

        LogWatchOpened(_logger, path);
        var reader = PipeReader.Create(stream, WatchStreamDecoder<T>.ReaderOptions);
        var events = 0;
        try
        {
            var decoder = new WatchStreamDecoder<T>(reader);
            while (await decoder.ReadNextAsync(cancellationToken).ConfigureAwait(false) is { } next)
            {
                events++;
                yield return next;
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            response.Dispose();
            LogWatchClosed(_logger, path, events, cancellationToken.IsCancellationRequested);
        }
    }

    private async Task<(HttpResponseMessage? Response, Stream? Stream)> OpenWatchAsync(string path, CancellationToken cancellationToken)
    {
        HttpResponseMessage? response = null;
        try
        {
            response = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return (response, stream);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            response?.Dispose();
            return (null, null);
        }
    }
}
