using System.Text.Json.Nodes;

namespace DesktopOperator.Api.Tests.Chart;

/// <summary>One API request as RBAC sees it; <see cref="Namespace"/> null for cluster-scoped or all-namespaces requests.</summary>
internal sealed record ApiRequest(string Verb, string Group, string Resource, string? Namespace, string? Name);

/// <summary>
/// Kubernetes' RBAC rule matching over rendered Roles, ClusterRoles and their bindings: a ClusterRoleBinding grants its
/// ClusterRole everywhere, a RoleBinding grants its role in the binding's namespace only; a rule with resourceNames
/// matches only requests that name one of them (never a create or a list).
/// </summary>
internal sealed class RbacAuthorizer(RenderedChart chart)
{
    public bool Allows(string serviceAccountNamespace, string serviceAccount, ApiRequest request)
    {
        foreach (var binding in chart.Objects.Where(o => RenderedChart.Kind(o) is "RoleBinding" or "ClusterRoleBinding"))
        {
            if (!binding["subjects"]!.AsArray().Any(s => s!["kind"]!.GetValue<string>() == "ServiceAccount"
                && s["name"]!.GetValue<string>() == serviceAccount && s["namespace"]!.GetValue<string>() == serviceAccountNamespace))
            {
                continue;
            }

            var clusterWide = RenderedChart.Kind(binding) == "ClusterRoleBinding";
            if (!clusterWide && request.Namespace != RenderedChart.NamespaceOf(binding))
            {
                continue;
            }

            var roleKind = binding["roleRef"]!["kind"]!.GetValue<string>();
            var roleName = binding["roleRef"]!["name"]!.GetValue<string>();
            var role = chart.Objects.Single(o => RenderedChart.Kind(o) == roleKind && RenderedChart.Name(o) == roleName
                && (roleKind == "ClusterRole" || RenderedChart.NamespaceOf(o) == RenderedChart.NamespaceOf(binding)));
            if (role["rules"]!.AsArray().Any(r => Matches(r!.AsObject(), request)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every (group, resource, verb) the rules bound to a service account grant, as "group/resource:verb" (resourceNames appended).</summary>
    public ISet<string> Grants(string serviceAccount)
    {
        var grants = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var binding in chart.Objects.Where(o => RenderedChart.Kind(o) is "RoleBinding" or "ClusterRoleBinding"))
        {
            if (!binding["subjects"]!.AsArray().Any(s => s!["name"]!.GetValue<string>() == serviceAccount))
            {
                continue;
            }

            var role = chart.Objects.Single(o => RenderedChart.Kind(o) == binding["roleRef"]!["kind"]!.GetValue<string>()
                && RenderedChart.Name(o) == binding["roleRef"]!["name"]!.GetValue<string>());
            foreach (var rule in role["rules"]!.AsArray())
            {
                var names = rule!["resourceNames"] is JsonArray n ? "[" + string.Join(',', n.Select(x => x!.GetValue<string>())) + "]" : string.Empty;
                foreach (var group in Strings(rule["apiGroups"]))
                {
                    foreach (var resource in Strings(rule["resources"]))
                    {
                        foreach (var verb in Strings(rule["verbs"]))
                        {
                            grants.Add($"{group}/{resource}{names}:{verb}");
                        }
                    }
                }
            }
        }

        return grants;
    }

    private static bool Matches(JsonObject rule, ApiRequest request)
    {
        var names = Strings(rule["resourceNames"]);
        return Contains(Strings(rule["apiGroups"]), request.Group)
            && Contains(Strings(rule["resources"]), request.Resource)
            && Contains(Strings(rule["verbs"]), request.Verb)
            && (names.Count == 0 || (request.Name is { } name && names.Contains(name)));
    }

    private static bool Contains(IReadOnlyList<string> values, string value) => values.Contains("*") || values.Contains(value);

    private static List<string> Strings(JsonNode? node) => node is JsonArray a ? [.. a.Select(x => x!.GetValue<string>())] : [];
}
