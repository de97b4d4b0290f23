using DesktopOperator.Kube;
using k8s.Models;

namespace DesktopOperator.Benchmarks.Runtime;

/// <summary>A pod-shaped object of realistic size (~1.5 KB of JSON) for informer benchmarks.</summary>
[KubernetesEntity(Group = "", ApiVersion = "v1", Kind = "Pod", PluralName = "pods")]
public sealed class BenchPod : CustomResource<BenchPodSpec, BenchPodStatus>
{
    public static BenchPod Make(int i) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = $"pool-{i / 100:D3}-{i % 100:D2}",
            NamespaceProperty = $"tenant-{i % 10}",
            Labels = new Dictionary<string, string>
            {
                ["app.kubernetes.io/name"] = "desktop-host",
                ["desktop.example.test/pool"] = $"pool-{i / 100:D3}",
                ["desktop.example.test/ordinal"] = (i % 100).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            Annotations = new Dictionary<string, string> { ["desktop.example.test/sessions"] = "0" },
            OwnerReferences = [new V1OwnerReference { ApiVersion = "desktop.example.test/v1alpha1", Kind = "DesktopPool", Name = $"pool-{i / 100:D3}", Uid = $"00000000-0000-4000-8000-{i / 100:D12}", Controller = true, BlockOwnerDeletion = true }],
        },
        Spec = new BenchPodSpec
        {
            NodeName = $"node-{i % 50}",
            Containers =
            [
                new BenchContainer
                {
                    Name = "desktop",
                    Image = "registry.example.test/desktop/xrdp:1.4.2",
                    Ports = [new BenchPort { Name = "rdp", ContainerPort = 3389 }, new BenchPort { Name = "vnc", ContainerPort = 5901 }],
                    Env = [new BenchEnv { Name = "DESKTOP_POOL", Value = $"pool-{i / 100:D3}" }, new BenchEnv { Name = "DISPLAY", Value = ":1" }],
                },
            ],
        },
        Status = new BenchPodStatus
        {
            Phase = "Running",
            PodIp = $"127.0.{i / 250}.{i % 250}",
            Conditions = [new V1Condition { Type = "Ready", Status = "True", Reason = "", Message = "" }, new V1Condition { Type = "ContainersReady", Status = "True", Reason = "", Message = "" }],
        },
    };
}

public sealed class BenchPodSpec
{
    public string? NodeName { get; set; }

    public IList<BenchContainer> Containers { get; set; } = [];
}

public sealed class BenchContainer
{
    public string Name { get; set; } = "";

    public string Image { get; set; } = "";

    public IList<BenchPort> Ports { get; set; } = [];

    public IList<BenchEnv> Env { get; set; } = [];
}

public sealed class BenchPort
{
    public string? Name { get; set; }

    public int ContainerPort { get; set; }
}

public sealed class BenchEnv
{
    public string Name { get; set; } = "";

    public string? Value { get; set; }
}

public sealed class BenchPodStatus
{
    public string? Phase { get; set; }

    public string? PodIp { get; set; }

    public IList<V1Condition> Conditions { get; set; } = [];
}
