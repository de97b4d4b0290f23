namespace DesktopOperator.Kube.Models;

/// <summary>Where a model lives in the API: group ("" for core), version, kind and plural resource name.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class KubernetesEntityAttribute : Attribute
{
    public string Group { get; init; } = "";

    public required string ApiVersion { get; init; }

    public required string Kind { get; init; }

    public required string PluralName { get; init; }

    /// <summary>False for cluster-scoped kinds (Namespace, CustomResourceDefinition).</summary>
    public bool Namespaced { get; init; } = true;

    /// <summary>"group/version", or "version" for the core group.</summary>
    public string GroupVersion => Group.Length == 0 ? ApiVersion : $"{Group}/{ApiVersion}";
}
