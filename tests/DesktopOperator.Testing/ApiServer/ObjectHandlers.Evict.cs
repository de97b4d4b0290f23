using System.Text.Json.Nodes;
using DesktopOperator.Testing.Schema;

namespace DesktopOperator.Testing.ApiServer;

internal sealed partial class ObjectHandlers
{
    /// <summary>
    /// POST pods/{name}/eviction (policy/v1 Eviction), as 1.24's eviction REST: a pod already terminating or terminal is
    /// deleted without asking any budget (transcript 17: a Pending pod is not); otherwise the one PodDisruptionBudget selecting it must be
    /// processed for its generation and allow a disruption (429 otherwise). An allowed eviction is first recorded in
    /// the budget's status by the apiserver (<c>disruptedPods</c>, <c>disruptionsAllowed</c> - 1), then the pod is
    /// deleted with its own grace period. Answers 201 with a Success Status.
    /// </summary>
    public JsonObject Evict(WriteContext ctx, JsonObject eviction)
    {
        var type = ctx.Type;
        var name = ctx.Name!;
        lock (Store.Gate)
        {
            var pod = Store.Get(type.StorageKey, Key(type, ctx.Namespace, name)) ?? throw StatusBodies.NotFound(type, name);
            var phase = BodyDecoder.Str(pod["status"]?["phase"]);
            if (pod["metadata"]?["deletionTimestamp"] is null && phase is not ("Succeeded" or "Failed"))
            {
                CheckBudget(ctx, pod);
            }

            var options = DeleteOptions.From(eviction["deleteOptions"] as JsonObject, _ => null);
            Delete(ctx with { Subresource = null }, options);
            return SuccessCreated();
        }
    }

    private void CheckBudget(WriteContext ctx, JsonObject pod)
    {
        var pdbType = state.Registry.Find("policy", "v1", "poddisruptionbudgets")!;
        var budgets = Store.Scan(pdbType.StorageKey, ctx.Namespace + "/").Select(kv => kv.Value)
            .Where(b => DisruptionBudgets.SelectedPods(Store, b).Exists(p => BodyDecoder.Str(p["metadata"]?["uid"]) == BodyDecoder.Str(pod["metadata"]?["uid"])))
            .ToList();
        if (budgets.Count > 1)
        {
            throw new ApiError(500, StatusBodies.Failure(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", null));
        }

        if (budgets.Count == 0)
        {
            return;
        }

        var pdb = budgets[0];
        var pdbName = BodyDecoder.Str(pdb["metadata"]?["name"])!;
        var status = pdb["status"] as JsonObject ?? [];
        var observed = JsonNumbers.ToInt64OrNull(status["observedGeneration"]) ?? 0;
        if (observed < (JsonNumbers.ToInt64OrNull(pdb["metadata"]?["generation"]) ?? 1))
        {
            throw TooManyRequests($"The disruption budget {pdbName} is still being processed by the server.", retryAfter: 10);
        }

        var allowed = JsonNumbers.ToInt64OrNull(status["disruptionsAllowed"]) ?? 0;
        if (allowed <= 0)
        {
            throw TooManyRequests($"The disruption budget {pdbName} needs {status["desiredHealthy"]} healthy pods and has {status["currentHealthy"]} currently", retryAfter: null);
        }

        var updated = pdb.DeepClone().AsObject();
        var newStatus = updated["status"]!.AsObject();
        var disrupted = newStatus["disruptedPods"] as JsonObject ?? [];
        disrupted[BodyDecoder.Str(pod["metadata"]?["name"])!] = ctx.Now;
        newStatus["disruptedPods"] = disrupted;
        newStatus["disruptionsAllowed"] = allowed - 1;
        if (allowed - 1 == 0)
        {
            newStatus["conditions"] = new JsonArray(DisruptionBudgets.Condition(status, "False", "InsufficientPods", string.Empty, observed, ctx.Now));
        }

        Update(new WriteContext(pdbType, ctx.Namespace, pdbName, "status", "kube-apiserver", ctx.Now, false), updated, fromPatch: false);
    }

    private static ApiError TooManyRequests(string cause, int? retryAfter)
    {
        var details = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = cause }) };
        if (retryAfter is { } seconds)
        {
            details["retryAfterSeconds"] = seconds;
        }

        return new ApiError(429, StatusBodies.Failure(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.", details));
    }
}
