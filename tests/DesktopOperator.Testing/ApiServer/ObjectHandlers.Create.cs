using System.Text.Json.Nodes;
using DesktopOperator.Testing.Schema;

namespace DesktopOperator.Testing.ApiServer;

internal sealed partial class ObjectHandlers
{
    /// <summary>POST: fills server metadata, drops status (status subresource), defaults, validates, stores. Returns 201.</summary>
    public JsonObject Create(WriteContext ctx, JsonObject obj, string operation = "Update", IEnumerable<string>? appliedPaths = null)
    {
        var type = ctx.Type;
        var meta = Meta(obj);
        if (type.Namespaced)
        {
            meta["namespace"] = ctx.Namespace;
        }
        else
        {
            meta.Remove("namespace");
        }

        foreach (var field in new[] { "uid", "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "creationTimestamp", "managedFields", "selfLink" })
        {
            meta.Remove(field);
        }

        if (type.HasStatus && type.IsCustom)
        {
            obj.Remove("status");
        }

        lock (Store.Gate)
        {
            var name = BodyDecoder.Str(meta["name"]) ?? string.Empty;
            var generateName = BodyDecoder.Str(meta["generateName"]);
            if (name.Length == 0 && !string.IsNullOrEmpty(generateName))
            {
                do
                {
                    name = generateName + state.RandomSuffix();
                }
                while (Store.Get(type.StorageKey, Key(type, ctx.Namespace, name)) is not null);
                meta["name"] = name;
            }

            CheckNamespace(type, ctx.Namespace, name);
            if (type.Kind == "Event")
            {
                // Event defaults come from conversion, not defaulting: the writer does not own them.
                ManagedFields.Record(null, obj, ctx, operation, appliedPaths);
            }

            KindDefaults.OnCreate(type, obj);
            if (type.Schema is { } schema)
            {
                StructuralSchemaValidator.ApplyDefaultsAndPrune(obj, schema);
            }

            var causes = ObjectValidation.Validate(type, obj, null);
            if (causes.Count > 0)
            {
                throw StatusBodies.Invalid(type, name, causes);
            }

            if (type.Kind == "Pod" && Store.Get("serviceaccounts", $"{ctx.Namespace}/default") is null)
            {
                throw StatusBodies.Forbidden(
                    $"pods \"{name}\" is forbidden: error looking up service account {ctx.Namespace}/default: serviceaccount \"default\" not found",
                    StatusBodies.Details(name, string.Empty, "pods"));
            }

            var key = Key(type, ctx.Namespace, name);
            if (Store.Get(type.StorageKey, key) is not null)
            {
                throw StatusBodies.AlreadyExists(type, name);
            }

            meta["uid"] = state.NewUid();
            meta["creationTimestamp"] = ctx.Now;
            if (type.TracksGeneration)
            {
                meta["generation"] = 1;
            }

            if (type.Kind != "Event")
            {
                ManagedFields.Record(null, obj, ctx, operation, appliedPaths);
            }

            if (type.Kind == "CustomResourceDefinition")
            {
                // What the POST answers: stored before apiextensions' controllers accept names and establish it.
                obj["status"] = new JsonObject
                {
                    ["conditions"] = null,
                    ["acceptedNames"] = new JsonObject { ["plural"] = string.Empty, ["kind"] = string.Empty },
                    ["storedVersions"] = new JsonArray(((obj["spec"]?["versions"] as JsonArray) ?? []).Where(v => v?["storage"]?.GetValue<bool>() == true).Select(v => (JsonNode)v!["name"]!.ToString()).ToArray()),
                };
            }

            if (ctx.DryRun)
            {
                return View(type, obj);
            }

            Store.Put(type.StorageKey, key, obj);
            AfterCreate(type, obj);
            return View(type, obj);
        }
    }

    private void AfterCreate(ResourceType type, JsonObject obj)
    {
        if (type.Kind == "Namespace" && state.Options.CreateDefaultServiceAccounts)
        {
            var ns = obj["metadata"]!["name"]!.GetValue<string>();
            var sa = new JsonObject
            {
                ["kind"] = "ServiceAccount",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject
                {
                    ["name"] = "default",
                    ["namespace"] = ns,
                    ["uid"] = state.NewUid(),
                    ["creationTimestamp"] = state.NowText(),
                },
            };
            Store.Put("serviceaccounts", $"{ns}/default", sa);
        }
        else if (type.Kind == "CustomResourceDefinition")
        {
            CrdLifecycle.Establish(state, obj);
        }
    }
}
