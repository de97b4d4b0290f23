using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DesktopOperator.Api.Yaml;

namespace DesktopOperator.Testing.ApiServer;

internal sealed partial class ObjectHandlers
{
    private const string CrPatchTypes = "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";
    private const string BuiltinPatchTypes = "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml";

    /// <summary>PATCH in its four flavours; the patched object then goes through <see cref="Update"/>.</summary>
    public (int Code, JsonObject Body) Patch(WriteContext ctx, string? contentType, byte[] body, bool force)
    {
        var type = ctx.Type;
        var media = BodyDecoder.MediaType(contentType);
        var accepted = type.IsCustom ? CrPatchTypes : BuiltinPatchTypes;
        if (!accepted.Split(", ").Contains(media))
        {
            throw StatusBodies.UnsupportedMediaType($"the body of the request was in an unknown format - accepted media types include: {accepted}");
        }

        if (media == "application/apply-patch+yaml")
        {
            return Apply(ctx, body, force);
        }

        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(Encoding.UTF8.GetString(body));
        }
        catch (JsonException e)
        {
            throw StatusBodies.BadRequest($"error decoding patch: {e.Message}");
        }

        lock (Store.Gate)
        {
            var existing = Store.Get(type.StorageKey, Key(type, ctx.Namespace, ctx.Name!)) ?? throw StatusBodies.NotFound(type, ctx.Name!);
            var current = View(type, existing);
            var patched = media switch
            {
                "application/json-patch+json" => Patches.JsonPatch(current, patch as JsonArray ?? throw Patches.Rejected()),
                "application/strategic-merge-patch+json" => Patches.StrategicMerge(current, patch),
                _ => Patches.MergePatch(current, patch),
            };
            if (patched is not JsonObject result)
            {
                throw Patches.Rejected();
            }

            if (result["metadata"] is not JsonObject)
            {
                result["metadata"] = new JsonObject();
            }

            if (type.Group == "events.k8s.io")
            {
                result = EventConversion.ToCore(result);
            }

            return (200, Update(ctx, result, fromPatch: true));
        }
    }

    private (int Code, JsonObject Body) Apply(WriteContext ctx, byte[] body, bool force)
    {
        var type = ctx.Type;
        if (string.IsNullOrEmpty(ctx.Manager) || ctx.Manager == "<apply-without-manager>")
        {
            throw StatusBodies.Invalid("PatchOptions.meta.k8s.io", "meta.k8s.io", "PatchOptions", string.Empty,
                [new FieldCause("FieldValueRequired", "Required value: is required for apply patch", "fieldManager")]);
        }

        JsonObject applied;
        try
        {
            applied = ManifestJson.Parse(Encoding.UTF8.GetString(body)) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            throw StatusBodies.BadRequest($"error decoding YAML: error converting YAML to JSON: yaml: {GoYamlMessage(e)}");
        }

        if (applied["metadata"] is not JsonObject)
        {
            applied["metadata"] = new JsonObject();
        }

        if (type.Kind == "CustomResourceDefinition" && CrdSchemaFields.FirstUnknown(applied) is { } unknown)
        {
            // 1.24 answers a typed-patch failure with a bare 500 (kubernetes#122480; 400 from 1.28).
            var name = BodyDecoder.Str(applied["metadata"]!["name"]) ?? ctx.Name;
            var status = StatusBodies.Failure(500, string.Empty,
                $"failed to create typed patch object (/{name}; apiextensions.k8s.io/v1, Kind=CustomResourceDefinition): {unknown}: field not declared in schema", null);
            status.Remove("reason");
            throw new ApiError(500, status);
        }

        var statusOnly = ctx.Subresource == "status";
        var appliedPaths = FieldSet.Leaves(applied, statusOnly || !type.HasStatus, !statusOnly, type.IsCustom).Keys.ToList();
        lock (Store.Gate)
        {
            var existing = Store.Get(type.StorageKey, Key(type, ctx.Namespace, ctx.Name!));
            if (existing is null)
            {
                var created = applied.DeepClone().AsObject();
                created["metadata"]!["name"] ??= ctx.Name;
                return (201, Create(ctx, created, "Apply", appliedPaths));
            }

            var current = View(type, existing);
            var currentLeaves = FieldSet.Leaves(current, statusOnly || !type.HasStatus, !statusOnly, type.IsCustom);
            var appliedLeaves = FieldSet.Leaves(applied, statusOnly || !type.HasStatus, !statusOnly, type.IsCustom);
            var owners = ManagedFields.OwnersExcept(current, ctx.Manager);
            var conflicts = appliedLeaves
                .Where(kv => owners.ContainsKey(kv.Key) && currentLeaves.TryGetValue(kv.Key, out var v) && v != kv.Value)
                .Select(kv => (Path: kv.Key, Owner: owners[kv.Key]))
                .ToList();
            if (conflicts.Count > 0 && !force)
            {
                throw ApplyConflict(conflicts);
            }

            var result = (JsonObject)Patches.MergePatch(current, WithoutNulls(applied))!;
            var previous = (current["metadata"]?["managedFields"] as JsonArray)?.OfType<JsonObject>()
                .Where(e => e["manager"]?.GetValue<string>() == ctx.Manager && e["operation"]?.GetValue<string>() == "Apply")
                .SelectMany(e => FieldSet.FromFieldsV1(e["fieldsV1"])) ?? [];
            foreach (var path in previous.Where(p => !appliedLeaves.ContainsKey(p) && !owners.ContainsKey(p)))
            {
                RemoveLeaf(result, path);
            }

            result["metadata"]!["resourceVersion"] = Rv(current);
            return (200, Update(ctx, result, fromPatch: true, "Apply", appliedPaths));
        }
    }

    /// <summary>go-yaml's wording: "line N: what" (YamlDotNet says "While parsing ..., what.").</summary>
    private static string GoYamlMessage(JsonException e)
    {
        var (line, message) = e.InnerException is ResourceYamlException y
            ? (y.Line, y.Reason.Replace("invalid YAML: ", "", StringComparison.Ordinal))
            : (1, e.Message);
        var comma = message.IndexOf(", ", StringComparison.Ordinal);
        var what = (comma >= 0 ? message[(comma + 2)..] : message).TrimEnd('.');
        return $"line {line}: {what}";
    }

    private static ApiError ApplyConflict(List<(string Path, string Owner)> conflicts)
    {
        var causes = new JsonArray();
        var lines = new StringBuilder();
        foreach (var group in conflicts.GroupBy(c => c.Owner))
        {
            lines.Append((group.Count() == 1 && conflicts.Count == 1 ? $"conflict with \"{group.Key}\"" : $"conflicts with \"{group.Key}\":"));
            foreach (var (path, owner) in group)
            {
                var field = Dotted(path);
                if (!(group.Count() == 1 && conflicts.Count == 1))
                {
                    lines.Append("\n- ").Append(field);
                }
                else
                {
                    lines.Append(": ").Append(field);
                }

                causes.Add(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = $"conflict with \"{owner}\"", ["field"] = field });
            }
        }

        var noun = conflicts.Count == 1 ? "conflict" : "conflicts";
        var status = StatusBodies.Failure(409, "Conflict", $"Apply failed with {conflicts.Count} {noun}: {lines}", new JsonObject { ["causes"] = causes });
        return new ApiError(409, status);
    }

    private static string Dotted(string path) => "." + string.Join('.', path.Split('\n').Select(s => s.StartsWith("f:", StringComparison.Ordinal) ? s[2..] : s));

    private static JsonNode? WithoutNulls(JsonNode? node)
    {
        if (node is not JsonObject o)
        {
            return node?.DeepClone();
        }

        var copy = new JsonObject();
        foreach (var (k, v) in o)
        {
            if (v is not null)
            {
                copy[k] = WithoutNulls(v);
            }
        }

        return copy;
    }

    private static void RemoveLeaf(JsonObject obj, string path)
    {
        var segments = path.Split('\n');
        JsonNode? node = obj;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            node = segments[i].StartsWith("f:", StringComparison.Ordinal) && node is JsonObject o ? o[segments[i][2..]] : null;
        }

        var last = segments[^1];
        if (node is JsonObject parent && last.StartsWith("f:", StringComparison.Ordinal))
        {
            parent.Remove(last[2..]);
        }
        else if (node is JsonArray list && last.StartsWith("v:", StringComparison.Ordinal))
        {
            var match = list.FirstOrDefault(e => e?.ToJsonString() == last[2..]);
            if (match is not null)
            {
                list.Remove(match);
            }
        }
    }
}
