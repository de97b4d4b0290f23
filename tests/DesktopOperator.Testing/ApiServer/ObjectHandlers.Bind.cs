using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

internal sealed partial class ObjectHandlers
{
    /// <summary>The body of a 201 from pods/binding and pods/eviction: a bare Success Status.</summary>
    private static JsonObject SuccessCreated() => new() { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 };

    /// <summary>POST pods/{name}/binding: what the scheduler does to set spec.nodeName (409 once a pod is bound).</summary>
    public JsonObject Bind(WriteContext ctx, JsonObject binding)
    {
        var type = ctx.Type;
        var name = ctx.Name!;
        var node = BodyDecoder.Str(binding["target"]?["name"]);
        if (string.IsNullOrEmpty(node))
        {
            throw StatusBodies.Invalid("Binding", string.Empty, "Binding", name, [new FieldCause("FieldValueRequired", "Required value", "target.name")]);
        }

        lock (Store.Gate)
        {
            var key = Key(type, ctx.Namespace, name);
            var existing = Store.Get(type.StorageKey, key) ?? throw StatusBodies.NotFound(type, name);
            if (BodyDecoder.Str(existing["spec"]?["nodeName"]) is { Length: > 0 } bound)
            {
                throw new ApiError(409, StatusBodies.Failure(409, "Conflict", $"Operation cannot be fulfilled on pods/binding \"{name}\": pod {name} is already assigned to node \"{bound}\"", StatusBodies.Details(name, string.Empty, "pods/binding")));
            }

            var updated = existing.DeepClone().AsObject();
            updated["spec"]!["nodeName"] = node;
            var status = updated["status"] as JsonObject ?? [];
            status["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "PodScheduled",
                ["status"] = "True",
                ["lastProbeTime"] = null,
                ["lastTransitionTime"] = ctx.Now,
            });
            updated["status"] = status;
            Store.Put(type.StorageKey, key, updated);
            return SuccessCreated();
        }
    }
}
