using DesktopOperator.Kube;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Tests.Support;

[KubernetesEntity(Group = "example.test", ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
public sealed class Widget : CustomResource<WidgetSpec, WidgetStatus>
{
    public static Widget Make(string name, string ns = "default", int replicas = 1, IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "example.test/v1",
        Kind = "Widget",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Spec = new WidgetSpec { Replicas = replicas },
    };
}

public sealed class WidgetSpec
{
    public int Replicas { get; set; }
}

public sealed class WidgetStatus
{
    public long? ObservedGeneration { get; set; }

    public IList<V1Condition> Conditions { get; set; } = [];
}
