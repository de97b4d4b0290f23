using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// Serves a watch as newline-delimited <c>{"type","object"}</c> JSON over chunked HTTP. RV ""/"0": synthetic ADDED for
/// current objects; RV N: every change after N from history, or one ERROR 410 Expired event when N is older than the
/// history; a future N: silence until the store gets there. Selector transitions become ADDED/DELETED (a DELETED for an
/// object leaving the selection carries its state before the change, with the change's resourceVersion). BOOKMARKs come every
/// <see cref="TestApiServerOptions.BookmarkInterval"/> and once shortly before <c>timeoutSeconds</c> (which ends the
/// stream cleanly), but only once the resource type changed after the watch's start: bookmarks are best effort. A fault-injected drop aborts the connection; an injected expiry sends one ERROR 410 and ends the stream.
/// </summary>
internal sealed class WatchHandler(ServerState state)
{
    public async Task ServeAsync(HttpContext http, ApiPath path, ListOptions options, (CancellationToken Drop, CancellationToken Expire) faults, CancellationToken ct)
    {
        var type = path.Type;
        if (path.Name is not null)
        {
            options = options with { Fields = FieldSelector.Parse($"metadata.name={path.Name}", type) };
        }

        long? from = null;
        if (options.ResourceVersion is { Length: > 0 } rvText && rvText != "0")
        {
            from = long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw StatusBodies.BadRequest($"invalid resource version: {rvText}");
        }

        var prefix = type.Namespaced && path.Namespace is not null ? path.Namespace + "/" : string.Empty;
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        var store = state.Store;
        WatchSubscription? sub = null;
        ApiError? expired = null;
        var pending = new List<(string Type, JsonObject Object)>();
        long startRv;
        var typeRv = 0L;
        lock (store.Gate)
        {
            startRv = from ?? store.CurrentRv;
            try
            {
                sub = store.Subscribe(type.StorageKey, from, out var replay);
                typeRv = replay.Count > 0 ? replay[^1].Rv : startRv;
                if (from is null)
                {
                    pending.AddRange(store.Scan(type.StorageKey, prefix).Where(kv => options.Matches(kv.Value)).Select(kv => ("ADDED", kv.Value)));
                }

                foreach (var e in replay)
                {
                    if (Translate(e, prefix, options) is { } t)
                    {
                        pending.Add(t);
                    }
                }
            }
            catch (ApiError gone) when (gone.Code == 410)
            {
                expired = gone;
            }
        }

        if (sub is null)
        {
            await http.Response.StartAsync(ct).ConfigureAwait(false);
            await WriteAsync(http, "ERROR", expired!.Status, ct).ConfigureAwait(false);
            return;
        }

        using (sub)
        {
            await http.Response.StartAsync(ct).ConfigureAwait(false);

            // Kestrel holds the headers of a chunked response until the first body write unless flushed: clients
            // (client-go, HttpClient with ResponseHeadersRead) wait for them before reading events.
            await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            foreach (var (t, o) in pending)
            {
                await WriteAsync(http, t, ObjectHandlers.View(type, o), ct).ConfigureAwait(false);
            }

            await PumpAsync(http, type, sub, prefix, options, new WatchPosition(from ?? 0, startRv, typeRv), faults, ct).ConfigureAwait(false);
        }
    }

    private async Task PumpAsync(HttpContext http, ResourceType type, WatchSubscription sub, string prefix, ListOptions options, WatchPosition position, (CancellationToken Drop, CancellationToken Expire) faults, CancellationToken ct)
    {
        var typeRv = position.TypeRv;
        var time = state.Time;
        var start = time.GetUtcNow();
        var timeout = TimeSpan.FromSeconds((options.TimeoutSeconds ?? 1800) * state.Options.WatchTimeoutScale);
        var deadline = start + timeout;
        var nextBookmark = start + state.Options.BookmarkInterval;
        var finalBookmark = deadline - state.Options.BookmarkBeforeTimeout;
        var finalBookmarkSent = options.TimeoutSeconds is null || finalBookmark <= start;
        while (true)
        {
            var now = time.GetUtcNow();
            if (now >= deadline)
            {
                return;
            }

            if (options.AllowBookmarks && (now >= nextBookmark || (!finalBookmarkSent && now >= finalBookmark)))
            {
                if (now >= nextBookmark)
                {
                    nextBookmark = now + state.Options.BookmarkInterval;
                }

                finalBookmarkSent |= now >= finalBookmark;

                // As the real watch cache: a bookmark carries the newest change of this resource type (any namespace,
                // any selector) and is sent only when that is newer than where the watch started — an idle watch gets none.
                if (typeRv > position.StartRv)
                {
                    var bookmark = new JsonObject
                    {
                        ["apiVersion"] = type.ApiVersion,
                        ["kind"] = type.Kind,
                        ["metadata"] = new JsonObject { ["resourceVersion"] = typeRv.ToString(CultureInfo.InvariantCulture) },
                    };
                    await WriteAsync(http, "BOOKMARK", bookmark, ct).ConfigureAwait(false);
                }

                continue;
            }

            var wake = deadline;
            if (options.AllowBookmarks)
            {
                wake = new[] { deadline, nextBookmark, finalBookmarkSent ? deadline : finalBookmark }.Min();
            }

            using var timer = new CancellationTokenSource(Max(wake - now, TimeSpan.FromMilliseconds(1)), time);
            var (drop, expire) = faults;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token, drop, expire);
            bool ready;
            try
            {
                ready = await sub.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
            }

            catch (OperationCanceledException) when (timer.IsCancellationRequested && !ct.IsCancellationRequested && !drop.IsCancellationRequested && !expire.IsCancellationRequested)
            {
                continue;
            }
            catch (OperationCanceledException) when (drop.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                // Reset the connection mid-stream: the client sees a broken chunked body, as when the server dies.
                http.Abort();
                return;
            }
            catch (OperationCanceledException) when (expire.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                var gone = StatusBodies.Gone($"too old resource version: {typeRv}");
                await WriteAsync(http, "ERROR", gone.Status, ct).ConfigureAwait(false);
                return;
            }

            if (!ready)
            {
                return;
            }

            while (sub.Reader.TryRead(out var e))
            {
                typeRv = Math.Max(typeRv, e.Rv);
                if (e.Rv > position.SkipThrough && Translate(e, prefix, options) is { } t)
                {
                    await WriteAsync(http, t.Type, ObjectHandlers.View(type, t.Object), ct).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>What a watcher with these selectors sees of a change (null: nothing).</summary>
    internal static (string Type, JsonObject Object)? Translate(StoredEvent e, string prefix, ListOptions options)
    {
        if (!e.Key.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var now = options.Matches(e.Object);
        var before = e.Previous is not null && options.Matches(e.Previous);
        return e.Type switch
        {
            "ADDED" => now ? ("ADDED", e.Object) : null,
            "DELETED" => before || now ? ("DELETED", e.Object) : null,
            _ when now && before => ("MODIFIED", e.Object),
            _ when now => ("ADDED", e.Object),
            _ when before => ("DELETED", PreviousAt(e)),
            _ => null,
        };
    }

    /// <summary>The object as it was before the change, stamped with the change's resourceVersion (as the watch cache does).</summary>
    private static JsonObject PreviousAt(StoredEvent e)
    {
        var previous = e.Previous!.DeepClone().AsObject();
        previous["metadata"]!["resourceVersion"] = e.Rv.ToString(CultureInfo.InvariantCulture);
        return previous;
    }

    /// <summary>Where a watch stands: events up to <paramref name="SkipThrough"/> were replayed, it began at <paramref name="StartRv"/>, and the newest change of its type it knows of is <paramref name="TypeRv"/>.</summary>
    private readonly record struct WatchPosition(long SkipThrough, long StartRv, long TypeRv);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static async Task WriteAsync(HttpContext http, string type, JsonObject obj, CancellationToken ct)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString() + "\n";
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), ct).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
    }
}
