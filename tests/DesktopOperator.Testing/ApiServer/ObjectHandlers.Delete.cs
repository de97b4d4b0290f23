using System.Globalization;
using System.Text.Json.Nodes;

using DesktopOperator.Testing.Schema;

namespace DesktopOperator.Testing.ApiServer;

internal sealed partial class ObjectHandlers
{
    /// <summary>
    /// DELETE: preconditions, dryRun, propagation finalizers (orphan / foregroundDeletion), graceful pod deletion,
    /// namespaces going Terminating, and immediate removal otherwise (CRs answer a Success Status, built-ins the object).
    /// </summary>
    public JsonObject Delete(WriteContext ctx, DeleteOptions options)
    {
        var type = ctx.Type;
        var name = ctx.Name!;
        lock (Store.Gate)
        {
            var key = Key(type, ctx.Namespace, name);
            var existing = Store.Get(type.StorageKey, key) ?? throw StatusBodies.NotFound(type, name);
            var meta = Meta(existing);
            var uid = meta["uid"]!.GetValue<string>();
            if (options.PreconditionUid is { } pu && pu != uid)
            {
                throw StatusBodies.PreconditionConflict(type, name, $"the UID in the precondition ({pu}) does not match the UID in record ({uid}). The object might have been deleted and then recreated");
            }

            if (options.PreconditionRv is { } prv && prv != Rv(existing))
            {
                throw StatusBodies.PreconditionConflict(type, name, $"the ResourceVersion in the precondition ({prv}) does not match the ResourceVersion in record ({Rv(existing)}). The object might have been modified");
            }

            if (options.DryRun)
            {
                return type.IsCustom ? StatusBodies.Success(type, name, uid) : View(type, existing);
            }

            if (meta["deletionTimestamp"] is not null)
            {
                return DeleteAgain(type, key, existing, options);
            }

            var updated = existing.DeepClone().AsObject();
            var newMeta = Meta(updated);
            var finalizers = (newMeta["finalizers"] as JsonArray)?.Select(f => f!.GetValue<string>()).ToList() ?? [];
            var policyFinalizer = options.PropagationPolicy switch
            {
                "Orphan" => "orphan",
                "Foreground" => "foregroundDeletion",
                _ => null,
            };
            if (policyFinalizer is not null && !finalizers.Contains(policyFinalizer))
            {
                finalizers.Add(policyFinalizer);
            }

            var now = state.Time.GetUtcNow();
            if (type.Kind == "Namespace")
            {
                newMeta["deletionTimestamp"] = ctx.Now;
                updated["status"] = new JsonObject { ["phase"] = "Terminating" };
                if (finalizers.Count > 0)
                {
                    newMeta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)f).ToArray());
                }

                Store.Put(type.StorageKey, key, updated);
                return View(type, updated);
            }

            if (type.Kind == "Pod" && IsGraceful(existing) && options.GracePeriodSeconds != 0)
            {
                var grace = options.GracePeriodSeconds ?? JsonNumbers.ToInt64OrNull(existing["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
                newMeta["deletionTimestamp"] = Format(now.AddSeconds(grace));
                newMeta["deletionGracePeriodSeconds"] = grace;
                if (finalizers.Count > 0)
                {
                    newMeta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)f).ToArray());
                }

                Store.Put(type.StorageKey, key, updated);
                return View(type, updated);
            }

            if (finalizers.Count > 0)
            {
                newMeta["deletionTimestamp"] = ctx.Now;
                newMeta["deletionGracePeriodSeconds"] = 0;
                newMeta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)f).ToArray());
                if (type.TracksGeneration)
                {
                    newMeta["generation"] = (JsonNumbers.ToInt64OrNull(newMeta["generation"]) ?? 0) + 1;
                }

                Store.Put(type.StorageKey, key, updated);
                return View(type, updated);
            }

            if (type.Kind == "Pod")
            {
                return View(type, PodRemoval.RemoveNow(Store, type.StorageKey, key, existing, ctx.Now));
            }

            var removed = Store.Remove(type.StorageKey, key)!;
            return type.IsCustom ? StatusBodies.Success(type, name, uid) : View(type, removed);
        }
    }

    /// <summary>A repeated DELETE leaves the object as it is, except that it may shorten a pod's grace period.</summary>
    private JsonObject DeleteAgain(ResourceType type, string key, JsonObject existing, DeleteOptions options)
    {
        var meta = Meta(existing);
        var current = JsonNumbers.ToInt64OrNull(meta["deletionGracePeriodSeconds"]) ?? 0;
        if (type.Kind == "Pod" && options.GracePeriodSeconds is { } grace && grace < current)
        {
            if (grace == 0 && (meta["finalizers"] as JsonArray ?? []).Count == 0)
            {
                return View(type, PodRemoval.RemoveNow(Store, type.StorageKey, key, existing, Format(state.Time.GetUtcNow())));
            }

            var updated = existing.DeepClone().AsObject();
            Meta(updated)["deletionGracePeriodSeconds"] = grace;
            Meta(updated)["deletionTimestamp"] = Format(state.Time.GetUtcNow().AddSeconds(grace));
            Store.Put(type.StorageKey, key, updated);
            return View(type, updated);
        }

        return View(type, existing);
    }

    /// <summary>Scheduled pods that have not terminated wait for their kubelet; others go at once.</summary>
    private static bool IsGraceful(JsonObject pod) =>
        !string.IsNullOrEmpty(BodyDecoder.Str(pod["spec"]?["nodeName"]))
        && BodyDecoder.Str(pod["status"]?["phase"]) is not ("Succeeded" or "Failed");

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
