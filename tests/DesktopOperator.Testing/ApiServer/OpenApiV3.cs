using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// Just enough of <c>/openapi/v3</c> for kubectl: the index of group-versions and, for each, one PATCH operation per
/// kind that names its group-version-kind and accepts <c>fieldValidation</c>. That is how kubectl (1.27+) learns that
/// the server validates fields itself, so <c>kubectl apply</c> sends <c>fieldValidation=Strict</c> instead of
/// downloading schemas for client-side validation (which this server does not publish: the documents carry no
/// <c>components.schemas</c>).
/// </summary>
internal static class OpenApiV3
{
    private const string Root = "openapi/v3";

    /// <summary>The document for an <c>/openapi/v3</c> path, null when <paramref name="path"/> is not one.</summary>
    public static JsonObject? For(string path, ResourceRegistry registry)
    {
        var trimmed = path.Trim('/');
        if (trimmed == Root)
        {
            var paths = new JsonObject();
            foreach (var gv in GroupVersions(registry))
            {
                paths[gv] = new JsonObject { ["serverRelativeURL"] = $"/{Root}/{gv}?hash={Hash(Document(registry, gv)!)}" };
            }

            return new JsonObject { ["paths"] = paths };
        }

        return trimmed.StartsWith(Root + "/", StringComparison.Ordinal) ? Document(registry, trimmed[(Root.Length + 1)..]) : null;
    }

    private static IEnumerable<string> GroupVersions(ResourceRegistry registry) =>
        registry.All.Select(Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static string Key(ResourceType type) => type.Group.Length == 0 ? $"api/{type.Version}" : $"apis/{type.Group}/{type.Version}";

    private static JsonObject? Document(ResourceRegistry registry, string groupVersion)
    {
        var types = registry.All.Where(t => Key(t) == groupVersion).OrderBy(t => t.Plural, StringComparer.Ordinal).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var type in types)
        {
            var scope = type.Namespaced ? "namespaces/{namespace}/" : string.Empty;
            paths[$"/{groupVersion}/{scope}{type.Plural}/{{name}}"] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{type.Kind}",
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } }),
                    ["responses"] = new JsonObject(),
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.24.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject(),
        };
    }

    private static string Hash(JsonObject document) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())))[..32];
}
