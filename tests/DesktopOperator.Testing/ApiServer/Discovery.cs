using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>Discovery documents built from what is served (only the resources this server has, not a full cluster's).</summary>
internal static class Discovery
{
    /// <summary>The document for a discovery path, null when <paramref name="path"/> is not one.</summary>
    public static JsonObject? For(string path, ResourceRegistry registry, string serverAddress)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (segments)
        {
            case ["version"]:
                return new JsonObject
                {
                    ["major"] = "1",
                    ["minor"] = "24",
                    ["gitVersion"] = "v1.24.0+0",
                    ["gitCommit"] = "2cc6ddc68588debdbb6806e1b57e73207505324f",
                    ["gitTreeState"] = "clean",
                    ["buildDate"] = "2022-05-06T09:44:28Z",
                    ["goVersion"] = "go1.19.8",
                    ["compiler"] = "gc",
                    ["platform"] = "linux/amd64",
                };
            case ["api"]:
                return new JsonObject
                {
                    ["kind"] = "APIVersions",
                    ["versions"] = new JsonArray("v1"),
                    ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
                };
            case ["api", "v1"]:
                return Resources(registry, string.Empty, "v1", core: true);
            case ["apis"]:
                var groups = new JsonArray();
                foreach (var g in registry.All.Where(t => t.Group.Length > 0).GroupBy(t => t.Group))
                {
                    groups.Add(Group(g.Key, g.Select(t => t.Version).Distinct().ToList()));
                }

                return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
            case ["apis", var group] when registry.All.Any(t => t.Group == group):
                var versions = registry.All.Where(t => t.Group == group).Select(t => t.Version).Distinct().ToList();
                var doc = Group(group, versions);
                return new JsonObject { ["kind"] = "APIGroup", ["apiVersion"] = "v1" }.Also(doc);
            case ["apis", var group, var version] when registry.HasGroupVersion(group, version):
                return Resources(registry, group, version, core: false);
            default:
                return null;
        }
    }

    private static JsonObject Group(string name, List<string> versions)
    {
        var list = new JsonArray();
        foreach (var v in versions)
        {
            list.Add(new JsonObject { ["groupVersion"] = $"{name}/{v}", ["version"] = v });
        }

        return new JsonObject
        {
            ["name"] = name,
            ["versions"] = list,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{name}/{versions[0]}", ["version"] = versions[0] },
        };
    }

    private static JsonObject Resources(ResourceRegistry registry, string group, string version, bool core)
    {
        var resources = new JsonArray();
        foreach (var t in registry.All.Where(t => t.Group == group && t.Version == version))
        {
            var verbs = t.IsCustom
                ? new JsonArray("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch")
                : new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
            var r = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.IsCustom ? t.Singular : string.Empty,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = verbs,
            };
            if (t.ShortNames is { Count: > 0 } shortNames)
            {
                r["shortNames"] = new JsonArray(shortNames.Select(s => (JsonNode)s).ToArray());
            }

            r["storageVersionHash"] = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"{t.Group}/{t.Version}/{t.Kind}"))[..8]);
            resources.Add(r);
            if (t.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = t.Plural + "/status",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = t.Namespaced,
                    ["kind"] = t.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        var doc = new JsonObject { ["kind"] = "APIResourceList" };
        if (!core)
        {
            doc["apiVersion"] = "v1";
        }

        doc["groupVersion"] = core ? "v1" : $"{group}/{version}";
        doc["resources"] = resources;
        return doc;
    }

    private static JsonObject Also(this JsonObject target, JsonObject more)
    {
        foreach (var (k, v) in more.ToList())
        {
            more.Remove(k);
            target[k] = v;
        }

        return target;
    }
}
