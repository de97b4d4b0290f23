using DesktopOperator.Api.Schema;
using k8s;
using k8s.Models;

namespace DesktopOperator.Api.Validation;

/// <summary>What the API server checks of every custom resource's metadata, for standalone mode, which has none.</summary>
internal static class MetadataRules
{
    public static void Validate(V1ObjectMeta? metadata, List<ValidationError> errors)
    {
        var name = metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(new("metadata.name", "required"));
        }
        else if (name.Length > 253 || !FieldRules.Matches(Patterns.Dns1123Subdomain, name))
        {
            errors.Add(new("metadata.name", $"'{name}' must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253)"));
        }

        if (metadata?.NamespaceProperty is { Length: > 0 } ns && (ns.Length > 63 || !FieldRules.Matches(Patterns.Dns1123Label, ns)))
        {
            errors.Add(new("metadata.namespace", $"'{ns}' must be a DNS-1123 label (lower-case letters, digits and '-', at most 63)"));
        }
    }
}
