using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// What apiextensions-apiserver does after a CRD is stored: accept its names, mark it Established (two status
/// writes, as a real server makes them), and start serving the resource. Called under the store's lock.
/// </summary>
internal static class CrdLifecycle
{
    public static void Establish(ServerState state, JsonObject crd)
    {
        var name = crd["metadata"]!["name"]!.GetValue<string>();
        var now = state.NowText();
        var names = crd["spec"]!["names"]!.DeepClone().AsObject();
        names["singular"] ??= names["kind"]!.GetValue<string>().ToLowerInvariant();
        names["listKind"] ??= names["kind"]!.GetValue<string>() + "List";
        crd["spec"]!["conversion"] ??= new JsonObject { ["strategy"] = "None" };
        var accepted = Condition("NamesAccepted", "True", "NoConflicts", "no conflicts found", now);
        var establishedFalse = Condition("Established", "False", "Installing", "the initial names have been accepted", now);
        var copy = crd.DeepClone().AsObject();
        copy["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(accepted, establishedFalse),
            ["acceptedNames"] = names,
            ["storedVersions"] = new JsonArray(crd["spec"]!["versions"]!.AsArray()
                .Where(v => v?["storage"]?.GetValue<bool>() == true).Select(v => (JsonNode)v!["name"]!.GetValue<string>()).ToArray()),
        };
        var crdType = state.Registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
        ManagedFields.Record(crd, copy, new WriteContext(crdType, null, name, "status", "kube-apiserver", now, false), "Update");
        state.Store.Put("customresourcedefinitions.apiextensions.k8s.io", name, copy);
        state.Registry.Register(copy);
        var established = copy.DeepClone().AsObject();
        established["status"]!["conditions"]![1] = Condition("Established", "True", "InitialNamesAccepted", "the initial names have been accepted", now);
        state.Store.Put("customresourcedefinitions.apiextensions.k8s.io", name, established);
    }

    private static JsonObject Condition(string type, string status, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };
}
