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

            var automount = type.Kind == "Pod" && AdmitServiceAccount(ctx.Namespace!, name, obj);

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

            if (automount)
            {
                AddTokenVolume(obj["spec"]!.AsObject()); // admission's change: not owned by the writer
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

    /// <summary>
    /// ServiceAccount admission: the pod's ServiceAccount must exist (403 otherwise). True when a token is to be mounted
    /// (automount not turned off by the pod or its ServiceAccount).
    /// </summary>
    private bool AdmitServiceAccount(string ns, string name, JsonObject pod)
    {
        var spec = pod["spec"]!.AsObject();
        var saName = BodyDecoder.Str(spec["serviceAccountName"]) ?? "default";
        var sa = Store.Get("serviceaccounts", $"{ns}/{saName}") ?? throw StatusBodies.Forbidden(
            $"pods \"{name}\" is forbidden: error looking up service account {ns}/{saName}: serviceaccount \"{saName}\" not found",
            StatusBodies.Details(name, string.Empty, "pods"));
        if (spec["automountServiceAccountToken"]?.GetValue<bool>() == false
            || (spec["automountServiceAccountToken"] is null && sa["automountServiceAccountToken"]?.GetValue<bool>() == false))
        {
            return false;
        }

        return true;
    }

    /// <summary>The projected <c>kube-api-access-xxxxx</c> volume and its mount in every container.</summary>
    private void AddTokenVolume(JsonObject spec)
    {
        var volume = "kube-api-access-" + state.RandomSuffix();
        var volumes = spec["volumes"] as JsonArray ?? [];
        volumes.Add(new JsonObject
        {
            ["name"] = volume,
            ["projected"] = new JsonObject
            {
                ["sources"] = new JsonArray(
                    new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = 3607, ["path"] = "token" } },
                    new JsonObject { ["configMap"] = new JsonObject { ["name"] = "kube-root-ca.crt", ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }) } },
                    new JsonObject { ["downwardAPI"] = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["path"] = "namespace", ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" } }) } }),
                ["defaultMode"] = 420,
            },
        });

        // volumes come first in a Pod's spec, as the real serializer orders it.
        var rest = spec.ToList();
        spec.Clear();
        spec["volumes"] = volumes;
        foreach (var (k, v) in rest.Where(kv => kv.Key != "volumes"))
        {
            spec[k] = v;
        }

        foreach (var c in (spec["containers"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var mounts = c["volumeMounts"] as JsonArray ?? [];
            mounts.Add(new JsonObject { ["name"] = volume, ["readOnly"] = true, ["mountPath"] = "/var/run/secrets/kubernetes.io/serviceaccount" });
            var fields = c.ToList();
            c.Clear();
            foreach (var (k, v) in fields.Where(kv => kv.Key != "volumeMounts"))
            {
                c[k] = v;
                if (k == "resources")
                {
                    c["volumeMounts"] = mounts;
                }
            }

            c["volumeMounts"] ??= mounts;
        }
    }

    private void AfterCreate(ResourceType type, JsonObject obj)
    {
        if (type.Kind == "Namespace" && state.Options.CreateDefaultServiceAccounts)
        {
            // What kube-controller-manager's root-CA publisher and ServiceAccount controller add to a new namespace.
            var ns = obj["metadata"]!["name"]!.GetValue<string>();
            var ca = new JsonObject
            {
                ["kind"] = "ConfigMap",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject
                {
                    ["name"] = "kube-root-ca.crt",
                    ["namespace"] = ns,
                    ["annotations"] = new JsonObject { ["kubernetes.io/description"] = RootCaDescription },
                },
                ["data"] = new JsonObject { ["ca.crt"] = state.RootCaPem },
            };
            var cmType = state.Registry.Find(string.Empty, "v1", "configmaps")!;
            Create(new WriteContext(cmType, ns, null, null, "kube-controller-manager", state.NowText(), false), ca);
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

    private const string RootCaDescription = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";
}
