using System.Text.Json;
using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>
/// A pod template (<c>core/v1 PodTemplateSpec</c>) for session hosts. The pod spec is kept as JSON and passed to the
/// API server unchanged, which validates it when the pod is created.
/// </summary>
public sealed class HostTemplate
{
    /// <summary>Labels and annotations for the session-host pods.</summary>
    public TemplateMetadata? Metadata { get; set; }

    /// <summary>The pod spec (<c>core/v1 PodSpec</c>) of the session hosts.</summary>
    [Required]
    public JsonElement? Spec { get; set; }
}
