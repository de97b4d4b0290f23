using System.Globalization;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// The verbs on stored objects. Each verb runs its whole read-check-write under the store's lock, so concurrent
/// requests serialise like etcd transactions. Split by verb over partial files.
/// </summary>
internal sealed partial class ObjectHandlers(ServerState state)
{
    private ObjectStore Store => state.Store;

    /// <summary>The object as the requested view serves it (events.k8s.io/v1 Events are converted).</summary>
    public static JsonObject View(ResourceType type, JsonObject stored)
    {
        var copy = stored.DeepClone().AsObject();
        return type.Group == "events.k8s.io" ? EventConversion.ToEventsV1(copy) : copy;
    }

    public static string Rv(JsonObject obj) => BodyDecoder.Str(obj["metadata"]?["resourceVersion"]) ?? string.Empty;

    public static long RvNumber(JsonObject obj) => long.Parse(Rv(obj), CultureInfo.InvariantCulture);

    private static JsonObject Meta(JsonObject obj) => obj["metadata"]!.AsObject();

    private static string Key(ResourceType type, string? ns, string name) => ObjectStore.KeyOf(type.Namespaced ? ns : null, name);

    private static bool SameIgnoringVolatile(JsonObject a, JsonObject b)
    {
        var x = a.DeepClone().AsObject();
        var y = b.DeepClone().AsObject();
        foreach (var o in new[] { x, y })
        {
            Meta(o).Remove("managedFields");
            Meta(o).Remove("resourceVersion");
        }

        return JsonNode.DeepEquals(x, y);
    }

    /// <summary>Checks the URL namespace exists and is not terminating (for creates).</summary>
    private void CheckNamespace(ResourceType type, string? ns, string name)
    {
        if (!type.Namespaced || ns is null)
        {
            return;
        }

        var nsObj = Store.Get("namespaces", ns);
        if (nsObj is null)
        {
            throw new ApiError(404, StatusBodies.Failure(404, "NotFound", $"namespaces \"{ns}\" not found", StatusBodies.Details(ns, string.Empty, "namespaces")));
        }

        if (nsObj["metadata"]?["deletionTimestamp"] is not null)
        {
            var details = StatusBodies.Details(name, type.Group, type.Plural);
            details["causes"] = new JsonArray(new JsonObject
            {
                ["reason"] = "NamespaceTerminating",
                ["message"] = $"namespace {ns} is being terminated",
                ["field"] = "metadata.namespace",
            });
            throw StatusBodies.Forbidden($"{type.QualifiedResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", details);
        }
    }
}
