namespace DesktopOperator.Api.V1Alpha1;

/// <summary>The part of object metadata a pod template may set.</summary>
public sealed class TemplateMetadata
{
    /// <summary>Labels added to every session-host pod.</summary>
    public IDictionary<string, string>? Labels { get; set; }

    /// <summary>Annotations added to every session-host pod.</summary>
    public IDictionary<string, string>? Annotations { get; set; }
}
