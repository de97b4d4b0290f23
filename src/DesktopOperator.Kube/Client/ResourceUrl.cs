using System.Text;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>
/// REST paths: <c>/api/v1</c> for the core group, <c>/apis/{group}/{version}</c> otherwise, then
/// <c>/namespaces/{ns}</c> for namespaced kinds (omitted for cluster-scoped kinds, and for all-namespace lists),
/// the plural resource, the name and a subresource.
/// </summary>
internal static class ResourceUrl
{
    public static string Build(KubernetesEntityAttribute entity, string? namespaceName, string? name, string? subresource, bool namespaceRequired)
    {
        var path = new StringBuilder(96);
        ArgumentNullException.ThrowIfNull(entity);
        path.Append(string.IsNullOrEmpty(entity.Group) ? "/api/" : "/apis/").Append(Entities.GroupVersion(entity));
        if (Entities.IsNamespaced(entity))
        {
            if (!string.IsNullOrEmpty(namespaceName))
            {
                path.Append("/namespaces/").Append(Uri.EscapeDataString(namespaceName));
            }
            else if (namespaceRequired)
            {
                throw new ArgumentException($"{entity.Kind} is namespaced: a namespace is required.", nameof(namespaceName));
            }
        }

        path.Append('/').Append(entity.PluralName);
        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            path.Append('/').Append(Uri.EscapeDataString(name));
        }

        if (subresource is not null)
        {
            path.Append('/').Append(subresource);
        }

        return path.ToString();
    }

    public static string WithQuery(string path, IEnumerable<KeyValuePair<string, string?>> query)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        foreach (var (key, value) in query)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(separator).Append(key).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return builder.ToString();
    }
}
