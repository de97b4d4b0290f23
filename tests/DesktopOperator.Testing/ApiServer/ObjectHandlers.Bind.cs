using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

internal sealed partial class ObjectHandlers
{
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
                throw StatusBodies.ConflictMessage(type, name, $"pod {name} is already assigned to node \"{bound}\"");
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
            return StatusBodies.Success(type, name, Meta(updated)["uid"]!.GetValue<string>());
        }
    }
}
