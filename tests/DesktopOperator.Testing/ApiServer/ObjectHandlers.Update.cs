using System.Text.Json.Nodes;
using DesktopOperator.Testing.Schema;

namespace DesktopOperator.Testing.ApiServer;

internal sealed partial class ObjectHandlers
{
    /// <summary>
    /// PUT (and the write half of PATCH): resourceVersion precondition, status/main split, immutable metadata,
    /// generation on spec change, no-op detection (same RV, no event), deletion once the last finalizer is gone.
    /// </summary>
    public JsonObject Update(WriteContext ctx, JsonObject body, bool fromPatch, string operation = "Update", IEnumerable<string>? appliedPaths = null)
    {
        var type = ctx.Type;
        var name = ctx.Name!;
        var bodyMeta = Meta(body);
        var bodyName = BodyDecoder.Str(bodyMeta["name"]);
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw StatusBodies.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        lock (Store.Gate)
        {
            var key = Key(type, ctx.Namespace, name);
            var existing = Store.Get(type.StorageKey, key) ?? throw StatusBodies.NotFound(type, name);
            var existingMeta = Meta(existing);
            var rv = BodyDecoder.Str(bodyMeta["resourceVersion"]);
            if (string.IsNullOrEmpty(rv))
            {
                if (!type.AllowsUnconditionalUpdate && !fromPatch)
                {
                    throw StatusBodies.Invalid(type.QualifiedResource, type.Group, type.Plural, name,
                        [new FieldCause("FieldValueInvalid", "Invalid value: 0x0: must be specified for an update", "metadata.resourceVersion")]);
                }
            }
            else if (rv != Rv(existing))
            {
                throw StatusBodies.Conflict(type, name);
            }

            var existingUid = existingMeta["uid"]!.GetValue<string>();
            if (BodyDecoder.Str(bodyMeta["uid"]) is { Length: > 0 } uid && uid != existingUid)
            {
                throw StatusBodies.ConflictMessage(type, name,
                    $"StorageError: invalid object, Code: 4, Key: /registry/{(type.Group.Length == 0 ? string.Empty : type.Group + "/")}{type.Plural}/{key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: {uid}, UID in object meta: {existingUid}");
            }

            var merged = Merge(type, ctx.Subresource, existing, body);
            if (type.Schema is { } schema)
            {
                StructuralSchemaValidator.ApplyDefaultsAndPrune(merged, schema);
            }

            var causes = ObjectValidation.Validate(type, merged, existing);
            causes.AddRange(KindUpdateRules.Check(type, existing, merged));
            if (causes.Count > 0)
            {
                throw StatusBodies.Invalid(type, name, causes);
            }

            if (type.TracksGeneration && !JsonNode.DeepEquals(existing["spec"], merged["spec"]))
            {
                Meta(merged)["generation"] = (JsonNumbers.ToInt64OrNull(existingMeta["generation"]) ?? 0) + 1;
            }

            if (SameIgnoringVolatile(existing, merged))
            {
                return View(type, existing);
            }

            ManagedFields.Record(existing, merged, ctx, operation, appliedPaths);
            if (ctx.DryRun)
            {
                return View(type, merged);
            }

            if (Meta(merged)["deletionTimestamp"] is not null && (Meta(merged)["finalizers"] as JsonArray ?? []).Count == 0)
            {
                Meta(merged)["resourceVersion"] = Rv(existing);
                Store.Remove(type.StorageKey, key);
                return View(type, merged);
            }

            Store.Put(type.StorageKey, key, merged);
            return View(type, merged);
        }
    }

    /// <summary>What a write may change: /status writes change only status; main writes keep the stored status.</summary>
    private static JsonObject Merge(ResourceType type, string? subresource, JsonObject existing, JsonObject body)
    {
        JsonObject merged;
        if (subresource == "status")
        {
            merged = existing.DeepClone().AsObject();
            merged["status"] = body["status"]?.DeepClone();
            if (merged["status"] is null)
            {
                merged.Remove("status");
            }

            KindUpdateRules.OnStatusWrite(type, merged);
            return merged;
        }

        merged = body.DeepClone().AsObject();
        merged["apiVersion"] = existing["apiVersion"]?.DeepClone();
        merged["kind"] = existing["kind"]?.DeepClone();
        if (type.HasStatus)
        {
            if (existing["status"] is { } status)
            {
                merged["status"] = status.DeepClone();
            }
            else
            {
                merged.Remove("status");
            }
        }

        var meta = Meta(merged);
        var old = Meta(existing);
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace", "name", "managedFields", "resourceVersion" })
        {
            if (old[field] is { } value)
            {
                meta[field] = value.DeepClone();
            }
            else
            {
                meta.Remove(field);
            }
        }

        if (type.Kind == "Namespace")
        {
            merged["spec"] = existing["spec"]?.DeepClone();
        }

        return merged;
    }
}
