using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// Maintains <c>metadata.managedFields</c>: one entry per (manager, operation, subresource). An Update takes
/// ownership of the leaves it added or changed; an Apply owns exactly what it applied and conflicts with other
/// managers' differing leaves. Simplified against the real structured-merge-diff (see KNOWN-DIFFERENCES.md).
/// </summary>
internal static class ManagedFields
{
    public static void Record(JsonObject? before, JsonObject after, WriteContext ctx, string operation, IEnumerable<string>? appliedPaths = null)
    {
        var meta = after["metadata"]!.AsObject();
        var entries = (meta["managedFields"] as JsonArray)?.OfType<JsonObject>().Select(e => e.DeepClone().AsObject()).ToList() ?? [];
        var statusOnly = ctx.Subresource == "status";
        var includeStatus = statusOnly || !ctx.Type.HasStatus;
        var newLeaves = FieldSet.Leaves(after, includeStatus, !statusOnly, ctx.Type.IsCustom);
        var oldLeaves = before is null ? [] : FieldSet.Leaves(before, includeStatus, !statusOnly, ctx.Type.IsCustom);
        var changed = newLeaves.Where(kv => !oldLeaves.TryGetValue(kv.Key, out var v) || v != kv.Value).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var removed = oldLeaves.Keys.Where(k => !newLeaves.ContainsKey(k)).ToHashSet(StringComparer.Ordinal);
        var mine = appliedPaths?.ToHashSet(StringComparer.Ordinal) ?? changed;

        var result = new JsonArray();
        var found = false;
        foreach (var entry in entries)
        {
            var paths = FieldSet.FromFieldsV1(entry["fieldsV1"]).ToHashSet(StringComparer.Ordinal);
            var isMine = entry["manager"]?.GetValue<string>() == ctx.Manager && entry["operation"]?.GetValue<string>() == operation
                && (entry["subresource"]?.GetValue<string>() ?? string.Empty) == (ctx.Subresource ?? string.Empty);
            if (isMine)
            {
                found = true;
                if (appliedPaths is not null)
                {
                    paths = mine;
                }
                else
                {
                    paths.UnionWith(mine);
                }
            }
            else
            {
                paths.ExceptWith(mine);
            }

            paths.ExceptWith(removed);
            if (paths.Count == 0)
            {
                continue;
            }

            if (isMine || paths.Count != FieldSet.FromFieldsV1(entry["fieldsV1"]).Count())
            {
                entry["fieldsV1"] = FieldSet.ToFieldsV1(paths, ctx.Type.IsCustom && operation != "Apply", newLeaves.Keys);
                if (isMine)
                {
                    entry["time"] = ctx.Now;
                }
            }

            result.Add(entry);
        }

        if (!found && mine.Count > 0)
        {
            result.Add(NewEntry(ctx, operation, mine, newLeaves.Keys));
        }

        // The real server lists Apply entries before Update entries, then by manager name (stable within one manager).
        var ordered = result.OfType<JsonObject>().OrderBy(e => e["operation"]?.GetValue<string>() == "Apply" ? 0 : 1).ThenBy(e => e["manager"]?.GetValue<string>(), StringComparer.Ordinal).ToList();
        result = [];
        foreach (var e in ordered)
        {
            e.Parent?.AsArray().Remove(e);
            result.Add(e);
        }

        if (result.Count == 0)
        {
            meta.Remove("managedFields");
        }
        else
        {
            meta["managedFields"] = result;
        }
    }

    /// <summary>Leaves owned by managers other than <paramref name="manager"/>'s Apply entry, with their owner.</summary>
    public static Dictionary<string, string> OwnersExcept(JsonObject obj, string manager)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in (obj["metadata"]?["managedFields"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var m = entry["manager"]?.GetValue<string>() ?? string.Empty;
            if (m == manager && entry["operation"]?.GetValue<string>() == "Apply")
            {
                continue;
            }

            foreach (var p in FieldSet.FromFieldsV1(entry["fieldsV1"]))
            {
                owners.TryAdd(p, m);
            }
        }

        return owners;
    }

    private static JsonObject NewEntry(WriteContext ctx, string operation, IEnumerable<string> paths, IEnumerable<string> objectLeaves)
    {
        var entry = new JsonObject
        {
            ["manager"] = ctx.Manager,
            ["operation"] = operation,
            ["apiVersion"] = ctx.Type.ApiVersion,
            ["time"] = ctx.Now,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = FieldSet.ToFieldsV1(paths, ctx.Type.IsCustom && operation != "Apply", objectLeaves),
        };
        if (ctx.Subresource is { } sub)
        {
            entry["subresource"] = sub;
        }

        return entry;
    }
}
