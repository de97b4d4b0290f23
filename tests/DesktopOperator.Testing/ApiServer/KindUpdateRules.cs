using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>Update rules of built-in kinds: pod spec immutability, podIP filling podIPs.</summary>
internal static class KindUpdateRules
{
    public static IEnumerable<FieldCause> Check(ResourceType type, JsonObject existing, JsonObject merged)
    {
        if (type.Kind != "Pod" || type.Group.Length != 0)
        {
            yield break;
        }

        if ((existing["spec"]?["containers"] as JsonArray)?.Count != (merged["spec"]?["containers"] as JsonArray)?.Count)
        {
            yield return new FieldCause("FieldValueForbidden", "Forbidden: pod updates may not add or remove containers", "spec.containers");
            yield break;
        }

        var before = Mutable(existing["spec"]);
        var after = Mutable(merged["spec"]);
        if (!JsonNode.DeepEquals(before, after))
        {
            yield return new FieldCause("FieldValueForbidden",
                "Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
                "spec");
        }
    }

    public static void OnStatusWrite(ResourceType type, JsonObject merged)
    {
        if (type.Kind == "Pod" && merged["status"] is JsonObject status && BodyDecoder.Str(status["podIP"]) is { Length: > 0 } ip && status["podIPs"] is null)
        {
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip });
        }
    }

    /// <summary>The pod spec without the parts an update may change.</summary>
    private static JsonNode? Mutable(JsonNode? spec)
    {
        if (spec?.DeepClone() is not JsonObject copy)
        {
            return spec;
        }

        copy.Remove("activeDeadlineSeconds");
        copy.Remove("tolerations");
        copy.Remove("terminationGracePeriodSeconds");
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var c in (copy[list] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                c.Remove("image");
            }
        }

        return copy;
    }
}
