using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

/// <summary>
/// <c>coordination.k8s.io/v1</c> Lease, the lock object of leader election. Times are <c>metav1.MicroTime</c>
/// (six fractional digits), which the API server requires for acquireTime and renewTime.
/// </summary>
[KubernetesEntity(Group = "coordination.k8s.io", ApiVersion = "v1", Kind = "Lease", PluralName = "leases")]
public sealed class V1Lease : KubernetesObject
{
    public V1LeaseSpec? Spec { get; set; }
}

public sealed class V1LeaseSpec
{
    public string? HolderIdentity { get; set; }

    public int? LeaseDurationSeconds { get; set; }

    [JsonConverter(typeof(KubeMicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    [JsonConverter(typeof(KubeMicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    public int? LeaseTransitions { get; set; }
}
