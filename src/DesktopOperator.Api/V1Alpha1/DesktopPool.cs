using DesktopOperator.Api.Schema;
using DesktopOperator.Kube;
using k8s.Models;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>
/// A pool of interchangeable desktop session hosts, either pods made from a template or existing machines, behind
/// the gateway, which routes each connection to a healthy host and a returning user back to their host.
/// </summary>
[KubernetesEntity(Group = ApiGroup.Group, ApiVersion = ApiGroup.Version, Kind = KindName, PluralName = PluralName)]
[ResourceNames("desktoppool", "dp", ApiGroup.Category)]
[PrinterColumn(0, "Ready", "integer", ".status.readyHosts", Description = "Hosts that pass their health check.")]
[PrinterColumn(1, "Hosts", "integer", ".status.totalHosts", Description = "All hosts of the pool.", Priority = 1)]
[PrinterColumn(2, "Sessions", "integer", ".status.activeSessions", Description = "Sessions with an open connection.")]
[PrinterColumn(3, "Disconnected", "integer", ".status.disconnectedSessions", Description = "Sessions that keep their host for a returning user.", Priority = 1)]
[PrinterColumn(4, "Pending", "integer", ".status.pendingSessions", Description = "Users queued because the pool is full.", Priority = 1)]
[PrinterColumn(5, "Free", "integer", ".status.freeSlots", Description = "Session slots free on ready hosts.")]
[PrinterColumn(6, "Age", "date", ".metadata.creationTimestamp")]
public sealed class DesktopPool : CustomResource<DesktopPoolSpec, DesktopPoolStatus>
{
    public const string KindName = "DesktopPool";

    public const string PluralName = "desktoppools";

    public DesktopPool()
    {
        ApiVersion = ApiGroup.GroupVersion;
        Kind = KindName;
    }
}
