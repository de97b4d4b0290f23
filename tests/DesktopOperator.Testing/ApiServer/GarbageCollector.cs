using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// Stands in for kube-controller-manager's garbage collector and namespace controller. After every commit it sweeps
/// the store (asynchronously, as the real controllers do): dependents whose owners are all gone are deleted
/// (background); owners deleting with <c>foregroundDeletion</c> get their dependents deleted and lose the finalizer
/// once no <c>blockOwnerDeletion</c> dependent remains; <c>orphan</c> strips owner references from dependents;
/// terminating namespaces are emptied (pods without waiting for a kubelet) and then removed.
/// </summary>
internal sealed class GarbageCollector : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly ServerState _state;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public GarbageCollector(ServerState state)
    {
        _state = state;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    private ObjectStore Store => _state.Store;

    public void Signal()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by a concurrent commit; one sweep covers both.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }

        _stop.Dispose();
        _signal.Dispose();
    }

    /// <summary>
    /// What the last failed sweep threw (null: none failed). A failed sweep is retried a moment later, as
    /// kube-controller-manager retries at its next sync: one exception must not stop garbage collection for the rest
    /// of the server's life while every request still succeeds.
    /// </summary>
    public Exception? LastError { get; private set; }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await _signal.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                while (Sweep())
                {
                    ct.ThrowIfCancellationRequested();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LastError = e;
                await Task.Delay(RetryDelay, ct).ConfigureAwait(false); // real time: a test's manual clock may never move
                Signal();
            }
        }
    }

    /// <summary>One pass; true when it changed something (so another pass may find more).</summary>
    internal bool Sweep()
    {
        lock (Store.Gate)
        {
            var all = Store.StorageKeys()
                .SelectMany(sk => Store.Scan(sk, string.Empty).Select(kv => (Storage: sk, kv.Key, Obj: kv.Value)))
                .ToList();
            var uids = all.Select(o => Uid(o.Obj)).ToHashSet(StringComparer.Ordinal);
            // One object per pass: the snapshot goes stale after a change, and a stale object must never be written back.
            foreach (var (storage, key, obj) in all)
            {
                if (Dependent(storage, key, obj, uids) || Owner(storage, key, obj, all) || Namespace(storage, key, obj, all))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private bool Dependent(string storage, string key, JsonObject obj, HashSet<string> uids)
    {
        var refs = (obj["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>().ToList();
        if (refs is null || refs.Count == 0)
        {
            return false;
        }

        var dangling = refs.Where(r => !uids.Contains(BodyDecoder.Str(r["uid"]) ?? string.Empty)).ToList();
        if (dangling.Count == 0)
        {
            return false;
        }

        if (dangling.Count == refs.Count)
        {
            return DeleteObject(storage, key, obj);
        }

        var copy = obj.DeepClone().AsObject();
        copy["metadata"]!["ownerReferences"] = new JsonArray(refs.Except(dangling).Select(r => (JsonNode)r.DeepClone()).ToArray());
        Store.Put(storage, key, copy);
        return true;
    }

    private bool Owner(string storage, string key, JsonObject obj, List<(string Storage, string Key, JsonObject Obj)> all)
    {
        if (obj["metadata"]?["deletionTimestamp"] is null)
        {
            return false;
        }

        var finalizers = Finalizers(obj);
        var uid = Uid(obj);
        var dependents = all.Where(o => OwnerRefs(o.Obj).Any(r => BodyDecoder.Str(r["uid"]) == uid)).ToList();
        if (finalizers.Contains("orphan"))
        {
            foreach (var (ds, dk, dobj) in dependents.Where(d => Live(d.Storage, d.Key, d.Obj)))
            {
                var copy = dobj.DeepClone().AsObject();
                var remaining = OwnerRefs(dobj).Where(r => BodyDecoder.Str(r["uid"]) != uid).Select(r => (JsonNode)r.DeepClone()).ToArray();
                if (remaining.Length == 0)
                {
                    copy["metadata"]!.AsObject().Remove("ownerReferences");
                }
                else
                {
                    copy["metadata"]!["ownerReferences"] = new JsonArray(remaining);
                }

                Store.Put(ds, dk, copy);
            }

            return RemoveFinalizer(storage, key, obj, "orphan");
        }

        if (finalizers.Contains("foregroundDeletion"))
        {
            var changed = false;
            foreach (var (ds, dk, dobj) in dependents.Where(d => d.Obj["metadata"]?["deletionTimestamp"] is null && Live(d.Storage, d.Key, d.Obj)))
            {
                changed |= DeleteObject(ds, dk, dobj);
            }

            var blocking = dependents.Any(d => Store.Get(d.Storage, d.Key) is { } live && Uid(live) == Uid(d.Obj)
                && OwnerRefs(live).Any(r => BodyDecoder.Str(r["uid"]) == uid && r["blockOwnerDeletion"]?.GetValue<bool>() == true));
            return blocking ? changed : RemoveFinalizer(storage, key, obj, "foregroundDeletion") || changed;
        }

        return false;
    }

    private bool Namespace(string storage, string key, JsonObject obj, List<(string Storage, string Key, JsonObject Obj)> all)
    {
        if (storage != "namespaces" || obj["metadata"]?["deletionTimestamp"] is null)
        {
            return false;
        }

        var prefix = key + "/";
        var contents = all.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (contents.Count > 0)
        {
            var changed = false;
            foreach (var (cs, ck, cobj) in contents.Where(c => Live(c.Storage, c.Key, c.Obj)))
            {
                changed |= cs == "pods" && Finalizers(cobj).Count == 0 ? RemovePod(cs, ck, cobj) : DeleteObject(cs, ck, cobj);
            }

            return changed;
        }

        if (Finalizers(obj).Count > 0)
        {
            return false;
        }

        Store.Remove(storage, key);
        return true;
    }

    /// <summary>
    /// Deletes like an API DELETE with background propagation: objects with finalizers only get marked, and a
    /// scheduled, running pod gets its grace period (its kubelet removes it). An object already being deleted is left
    /// alone, as kube-controller-manager's garbage collector skips an item whose deletionTimestamp is set: a terminating
    /// pod stays until its node deletes it (transcript 17, "[2] Background").
    /// </summary>
    private bool DeleteObject(string storage, string key, JsonObject obj)
    {
        if (obj["metadata"]?["deletionTimestamp"] is not null)
        {
            return false;
        }

        if (storage == "pods"
            && !string.IsNullOrEmpty(BodyDecoder.Str(obj["spec"]?["nodeName"]))
            && BodyDecoder.Str(obj["status"]?["phase"]) is not ("Succeeded" or "Failed"))
        {
            var grace = Schema.JsonNumbers.ToInt64OrNull(obj["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
            var pod = obj.DeepClone().AsObject();
            pod["metadata"]!["deletionTimestamp"] = _state.Time.GetUtcNow().AddSeconds(grace).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            pod["metadata"]!["deletionGracePeriodSeconds"] = grace;
            Store.Put(storage, key, pod);
            return true;
        }

        if (Finalizers(obj).Count == 0)
        {
            return storage == "pods" ? RemovePod(storage, key, obj) : Store.Remove(storage, key) is not null;
        }

        var copy = obj.DeepClone().AsObject();
        copy["metadata"]!["deletionTimestamp"] = _state.NowText();
        copy["metadata"]!["deletionGracePeriodSeconds"] = 0;
        Store.Put(storage, key, copy);
        return true;
    }

    private bool RemovePod(string storage, string key, JsonObject pod)
    {
        PodRemoval.RemoveNow(Store, storage, key, pod, _state.NowText());
        return true;
    }

    private bool RemoveFinalizer(string storage, string key, JsonObject obj, string finalizer)
    {
        var remaining = Finalizers(obj).Where(f => f != finalizer).ToList();
        if (remaining.Count == 0)
        {
            return Store.Remove(storage, key) is not null;
        }

        var copy = obj.DeepClone().AsObject();
        copy["metadata"]!["finalizers"] = new JsonArray(remaining.Select(f => (JsonNode)f).ToArray());
        Store.Put(storage, key, copy);
        return true;
    }

    private bool Live(string storage, string key, JsonObject obj) => ReferenceEquals(Store.Get(storage, key), obj);

    private static string Uid(JsonObject obj) => BodyDecoder.Str(obj["metadata"]?["uid"]) ?? string.Empty;

    private static List<string> Finalizers(JsonObject obj) =>
        (obj["metadata"]?["finalizers"] as JsonArray)?.Select(f => f!.GetValue<string>()).ToList() ?? [];

    private static IEnumerable<JsonObject> OwnerRefs(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>() ?? [];
}
