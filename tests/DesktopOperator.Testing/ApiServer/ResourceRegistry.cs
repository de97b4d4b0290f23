using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// The resources this server serves: fixed built-ins plus CRDs registered at runtime. Thread-safe (copy-on-write).
/// </summary>
internal sealed class ResourceRegistry
{
    private readonly Lock _gate = new();
    private volatile IReadOnlyList<ResourceType> _types;

    public ResourceRegistry()
    {
        _types =
        [
            new("", "v1", "namespaces", "namespace", "Namespace", false, true, false, ShortNames: ["ns"]),
            new("", "v1", "pods", "pod", "Pod", true, true, false, ShortNames: ["po"]),
            new("", "v1", "nodes", "node", "Node", false, true, false, ShortNames: ["no"]),
            new("", "v1", "services", "service", "Service", true, true, false, ShortNames: ["svc"]),
            new("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, false, false, ShortNames: ["sa"]),
            new("", "v1", "configmaps", "configmap", "ConfigMap", true, false, false, ShortNames: ["cm"]),
            new("", "v1", "secrets", "secret", "Secret", true, false, false),
            new("", "v1", "events", "event", "Event", true, false, false, ShortNames: ["ev"], Storage: "events"),
            new("events.k8s.io", "v1", "events", "event", "Event", true, false, false, ShortNames: ["ev"], Storage: "events"),
            new("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, false, false),
            new("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, true, false, ShortNames: ["pdb"]),
            new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false, true, false, ShortNames: ["crd", "crds"]),
        ];
    }

    public IReadOnlyList<ResourceType> All => _types;

    public ResourceType? Find(string group, string version, string plural) =>
        _types.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    public bool HasGroupVersion(string group, string version) => _types.Any(t => t.Group == group && t.Version == version);

    public ResourceType? FindByKind(string apiVersion, string kind) =>
        _types.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);

    /// <summary>Serves every version of a CRD (spec.versions[].served) with its schema.</summary>
    public void Register(JsonObject crd)
    {
        var spec = crd["spec"]!.AsObject();
        var group = spec["group"]!.GetValue<string>();
        var names = spec["names"]!.AsObject();
        var plural = names["plural"]!.GetValue<string>();
        var kind = names["kind"]!.GetValue<string>();
        var singular = names["singular"]?.GetValue<string>() ?? kind.ToLowerInvariant();
        var shortNames = names["shortNames"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
        var namespaced = spec["scope"]?.GetValue<string>() != "Cluster";
        lock (_gate)
        {
            var list = _types.Where(t => !(t.Group == group && t.Plural == plural)).ToList();
            foreach (var version in spec["versions"]!.AsArray())
            {
                if (version?["served"]?.GetValue<bool>() == false)
                {
                    continue;
                }

                var hasStatus = version!["subresources"]?["status"] is not null;
                var schema = version["schema"]?["openAPIV3Schema"]?.DeepClone();
                ObjectStore.Materialize(schema); // validators read it from many requests at once
                list.Add(new ResourceType(group, version["name"]!.GetValue<string>(), plural, singular, kind, namespaced, hasStatus, true, schema, shortNames, $"{plural}.{group}"));
            }

            _types = list;
        }
    }

    public void Unregister(string group, string plural)
    {
        lock (_gate)
        {
            _types = _types.Where(t => !(t.IsCustom && t.Group == group && t.Plural == plural)).ToList();
        }
    }
}
