using System.Globalization;
using System.Text.Json.Nodes;
using DesktopOperator.Testing.Schema;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// PodDisruptionBudget arithmetic as kube-controller-manager 1.24's disruption controller does it (transcript 17):
/// healthy = Ready pods not terminating and not recently evicted; an integer <c>minAvailable</c> needs no controller,
/// while <c>maxUnavailable</c> or a percentage needs every pod's controller to have a <c>/scale</c> subresource —
/// otherwise the budget goes <c>SyncFailed</c> and allows nothing.
/// </summary>
internal static class DisruptionBudgets
{
    /// <summary>The pods a budget selects: same namespace, its label selector (policy/v1: an empty selector selects all).</summary>
    public static List<JsonObject> SelectedPods(ObjectStore store, JsonObject pdb)
    {
        var ns = BodyDecoder.Str(pdb["metadata"]?["namespace"]) ?? string.Empty;
        var selector = LabelSelector.Parse(SelectorText(pdb["spec"]?["selector"] as JsonObject));
        return store.Scan("pods", ns + "/").Select(kv => kv.Value).Where(selector.Matches).ToList();
    }

    /// <summary>The status the disruption controller writes for <paramref name="pdb"/> now.</summary>
    public static JsonObject ComputeStatus(ServerState state, JsonObject pdb)
    {
        var old = pdb["status"] as JsonObject ?? [];
        var pods = SelectedPods(state.Store, pdb);
        var now = state.Time.GetUtcNow();
        var disrupted = new JsonObject();
        foreach (var (pod, at) in old["disruptedPods"] as JsonObject ?? [])
        {
            // An eviction the apiserver recorded stays counted until the pod is terminating (or 2 minutes passed).
            var live = pods.FirstOrDefault(p => BodyDecoder.Str(p["metadata"]?["name"]) == pod);
            if (live is not null && live["metadata"]?["deletionTimestamp"] is null
                && DateTimeOffset.TryParse(BodyDecoder.Str(at), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && now - t < TimeSpan.FromMinutes(2))
            {
                disrupted[pod] = at?.DeepClone();
            }
        }

        var healthy = pods.Count(p => p["metadata"]?["deletionTimestamp"] is null && IsReady(p) && !disrupted.ContainsKey(BodyDecoder.Str(p["metadata"]?["name"])!));
        var generation = JsonNumbers.ToInt64OrNull(pdb["metadata"]?["generation"]) ?? 1;
        var (expected, desired, failure) = Expectation(state, pdb, pods);
        if (failure is not null)
        {
            var failed = new JsonObject
            {
                ["disruptionsAllowed"] = 0,
                ["currentHealthy"] = JsonNumber(old["currentHealthy"]),
                ["desiredHealthy"] = JsonNumber(old["desiredHealthy"]),
                ["expectedPods"] = JsonNumber(old["expectedPods"]),
            };
            failed["conditions"] = new JsonArray(Condition(old, "False", "SyncFailed", failure, null, state.NowText()));
            return failed;
        }

        var allowed = Math.Max(0, healthy - desired);
        var status = new JsonObject { ["observedGeneration"] = generation };
        if (disrupted.Count > 0)
        {
            status["disruptedPods"] = disrupted;
        }

        status["disruptionsAllowed"] = expected <= 0 ? 0 : allowed;
        status["currentHealthy"] = healthy;
        status["desiredHealthy"] = desired;
        status["expectedPods"] = expected;
        var ok = expected > 0 && allowed > 0;
        status["conditions"] = new JsonArray(Condition(old, ok ? "True" : "False", ok ? "SufficientPods" : "InsufficientPods", string.Empty, generation, state.NowText()));
        return status;
    }

    /// <summary>The DisruptionAllowed condition; lastTransitionTime moves only when the status flips.</summary>
    public static JsonObject Condition(JsonObject oldStatus, string status, string reason, string message, long? generation, string now)
    {
        var previous = (oldStatus["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => BodyDecoder.Str(c["type"]) == "DisruptionAllowed");
        var condition = new JsonObject { ["type"] = "DisruptionAllowed", ["status"] = status };
        if (generation is { } g)
        {
            condition["observedGeneration"] = g;
        }

        condition["lastTransitionTime"] = previous is not null && BodyDecoder.Str(previous["status"]) == status ? previous["lastTransitionTime"]?.DeepClone() : now;
        condition["reason"] = reason;
        condition["message"] = message;
        return condition;
    }

    public static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => BodyDecoder.Str(c["type"]) == "Ready" && BodyDecoder.Str(c["status"]) == "True") == true;

    /// <summary>(expected pods, desired healthy, null) or a SyncFailed message.</summary>
    private static (int Expected, int Desired, string? Failure) Expectation(ServerState state, JsonObject pdb, List<JsonObject> pods)
    {
        var spec = pdb["spec"] as JsonObject ?? [];
        if (spec["minAvailable"] is JsonValue min && min.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            return (pods.Count, (int)JsonNumbers.ToInt64(min), null);
        }

        var expected = 0;
        foreach (var owner in pods.Select(ControllerOf).Distinct())
        {
            if (owner is null)
            {
                return (0, 0, $"found no controller ref for pod \"{BodyDecoder.Str(pods.First(p => ControllerOf(p) is null)["metadata"]?["name"])}\"");
            }

            var (ok, replicas, resource) = Scale(state, BodyDecoder.Str(pods[0]["metadata"]?["namespace"])!, owner.Value);
            if (!ok)
            {
                return (0, 0, $"{resource} does not implement the scale subresource");
            }

            expected += replicas;
        }

        if (spec["maxUnavailable"] is { } maxUnavailable)
        {
            return (expected, Math.Max(0, expected - Scaled(maxUnavailable, expected)), null);
        }

        return (expected, Scaled(spec["minAvailable"]!, expected), null);
    }

    /// <summary>An int-or-percent against a total, rounding up (as GetScaledValueFromIntOrPercent(…, true)).</summary>
    private static int Scaled(JsonNode value, int total)
    {
        var text = value.ToString();
        return text.EndsWith('%')
            ? (int)Math.Ceiling(total * int.Parse(text[..^1], CultureInfo.InvariantCulture) / 100.0)
            : int.Parse(text, CultureInfo.InvariantCulture);
    }

    private static (string ApiVersion, string Kind, string Name)? ControllerOf(JsonObject pod) =>
        (pod["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>()
            .Where(r => r["controller"]?.GetValue<bool>() == true)
            .Select(r => ((string ApiVersion, string Kind, string Name)?)(BodyDecoder.Str(r["apiVersion"])!, BodyDecoder.Str(r["kind"])!, BodyDecoder.Str(r["name"])!))
            .FirstOrDefault();

    /// <summary>The owner's replicas through its CRD's scale subresource (specReplicasPath), when it has one.</summary>
    private static (bool Ok, int Replicas, string Resource) Scale(ServerState state, string ns, (string ApiVersion, string Kind, string Name) owner)
    {
        var type = state.Registry.FindByKind(owner.ApiVersion, owner.Kind);
        if (type is null || !type.IsCustom)
        {
            return (false, 0, type?.QualifiedResource ?? owner.Kind.ToLowerInvariant() + "s");
        }

        var crd = state.Store.Get("customresourcedefinitions", $"{type.Plural}.{type.Group}");
        var version = (crd?["spec"]?["versions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(v => BodyDecoder.Str(v["name"]) == type.Version);
        var path = BodyDecoder.Str(version?["subresources"]?["scale"]?["specReplicasPath"]);
        if (path is null)
        {
            return (false, 0, type.QualifiedResource);
        }

        JsonNode? node = state.Store.Get(type.StorageKey, ObjectStore.KeyOf(ns, owner.Name));
        foreach (var part in path.TrimStart('.').Split('.'))
        {
            node = node?[part];
        }

        return (true, node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number ? (int)JsonNumbers.ToInt64(v) : 0, type.QualifiedResource);
    }

    private static string SelectorText(JsonObject? selector)
    {
        var parts = new List<string>();
        foreach (var (k, v) in selector?["matchLabels"] as JsonObject ?? [])
        {
            parts.Add($"{k}={v}");
        }

        foreach (var e in (selector?["matchExpressions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var key = BodyDecoder.Str(e["key"]);
            var values = string.Join(',', (e["values"] as JsonArray ?? []).Select(x => x!.ToString()));
            parts.Add(BodyDecoder.Str(e["operator"]) switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key!,
                _ => "!" + key,
            });
        }

        return string.Join(',', parts);
    }

    private static JsonNode JsonNumber(JsonNode? value) => value?.DeepClone() ?? 0;
}
