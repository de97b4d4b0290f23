using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// How kube-apiserver removes a pod at once (unscheduled or terminal pod, <c>gracePeriodSeconds=0</c>, the pod
/// garbage collector): it first stores the pod with <c>deletionTimestamp</c> and <c>deletionGracePeriodSeconds: 0</c>
/// (watchers see MODIFIED), then deletes it (DELETED) — transcripts 16 and 17.
/// </summary>
internal static class PodRemoval
{
    /// <summary>Returns the pod as marked (what a DELETE answers: the MODIFIED state, not the deletion's RV).</summary>
    public static JsonObject RemoveNow(ObjectStore store, string storageKey, string key, JsonObject current, string now)
    {
        var marked = current.DeepClone().AsObject();
        var meta = marked["metadata"]!.AsObject();
        meta["deletionTimestamp"] = now;
        meta["deletionGracePeriodSeconds"] = 0;
        lock (store.Gate)
        {
            store.Put(storageKey, key, marked);
            store.Remove(storageKey, key);
        }

        return marked;
    }
}
