using DesktopOperator.Kube;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Support;

/// <summary>The custom resource of the recorded transcripts (group example.test).</summary>
[KubernetesEntity(Group = "example.test", ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
internal sealed class Widget : CustomResource<WidgetSpec, WidgetStatus>
{
}

internal sealed class WidgetSpec
{
    public string? Size { get; set; }

    public string? Color { get; set; }

    public int? Replicas { get; set; }
}

internal sealed class WidgetStatus
{
    public string? Phase { get; set; }
}
