using DesktopOperator.Kube.Client;
using Microsoft.Extensions.Logging;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Informers;

/// <summary>
/// The list+watch loop behind an informer (client-go's Reflector). Paged LIST, hand the full set to
/// <see cref="IReflectorSink{T}.Replace"/>, then WATCH from the list's resourceVersion and hand each event to
/// <see cref="IReflectorSink{T}.Apply"/>. A watch that ends or breaks resumes from the last resourceVersion
/// (bookmarks included) without a relist; only 410 Gone/Expired forces a relist. Failures wait with
/// <see cref="ReconnectBackoff"/>. The sink is called from this loop only, one call at a time.
/// </summary>
internal sealed partial class Reflector<T>(
    IKubernetesClient client,
    InformerOptions<T> options,
    IReflectorSink<T> sink,
    TimeProvider time,
    Random random,
    ILogger logger)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan HealthyWatch = TimeSpan.FromSeconds(1);
    private volatile string? _lastSyncResourceVersion;

    public string? LastSyncResourceVersion => _lastSyncResourceVersion;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(options.InitialBackoff, options.MaxBackoff, random);
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            var listing = needList;
            try
            {
                if (needList)
                {
                    await ListAndReplaceAsync(cancellationToken).ConfigureAwait(false);
                    needList = false;
                    listing = false;
                    backoff.Reset();
                }

                if (await WatchAsync(cancellationToken).ConfigureAwait(false))
                {
                    backoff.Reset();
                    continue;
                }

                LogWatchEndedEarly(logger, typeof(T).Name);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.StatusCode == 410 && !listing)
            {
                // Our resourceVersion fell out of the server's history: only a fresh list can resynchronise.
                LogExpired(logger, typeof(T).Name, _lastSyncResourceVersion);
                needList = true;
                continue;
            }
#pragma warning disable CA1031 // Any failure of the API connection is retried with backoff; it is logged, not hidden.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(logger, typeof(T).Name, listing ? "list" : "watch", e);
            }

            var delay = backoff.Next();
            LogBackingOff(logger, typeof(T).Name, delay);
            try
            {
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ListAndReplaceAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        string? resourceVersion;
        do
        {
            var page = await client.ListAsync<T>(
                options.Namespace,
                new ListOptions
                {
                    LabelSelector = options.LabelSelector,
                    FieldSelector = options.FieldSelector,
                    Limit = options.PageSize,
                    Continue = continueToken,
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                items.Add(options.Transform is { } transform ? transform(item) : item);
            }

            continueToken = page.Metadata.ContinueProperty;
            resourceVersion = page.Metadata.ResourceVersion;
        }
        while (!string.IsNullOrEmpty(continueToken));

        sink.Replace(items);
        _lastSyncResourceVersion = resourceVersion;
        LogListed(logger, typeof(T).Name, items.Count, resourceVersion);
    }

    /// <summary>One watch session. True when it was healthy (delivered something or lasted), false when it ended at once.</summary>
    private async Task<bool> WatchAsync(CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var quietTimer = time.CreateTimer(static s => CancelQuietly((CancellationTokenSource)s!), session, options.WatchQuietTimeout, Timeout.InfiniteTimeSpan);
        var started = time.GetTimestamp();
        var events = 0;
        var watchOptions = new WatchOptions
        {
            LabelSelector = options.LabelSelector,
            FieldSelector = options.FieldSelector,
            ResourceVersion = _lastSyncResourceVersion,
            AllowBookmarks = true,
            TimeoutSeconds = (int)(options.WatchTimeout.TotalSeconds * (1 + random.NextDouble())),
        };
        try
        {
            await foreach (var e in client.WatchAsync<T>(options.Namespace, watchOptions, session.Token).WithCancellation(session.Token).ConfigureAwait(false))
            {
                quietTimer.Change(options.WatchQuietTimeout, Timeout.InfiniteTimeSpan);
                events++;
                if (e.Type != WatchEventType.Bookmark)
                {
                    sink.Apply(e.Type, options.Transform is { } transform ? transform(e.Resource) : e.Resource);
                }

                _lastSyncResourceVersion = e.Resource.Metadata.ResourceVersion ?? _lastSyncResourceVersion;
            }
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogQuiet(logger, typeof(T).Name, options.WatchQuietTimeout);
            return true;
        }

        return events > 0 || time.GetElapsedTime(started) >= HealthyWatch;
    }

    private static void CancelQuietly(CancellationTokenSource session)
    {
        try
        {
            session.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The watch already ended and disposed its session while this timer fired: nothing to stop.
        }
    }
}
