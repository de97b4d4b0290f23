using DesktopOperator.Api.Schema;
using DesktopOperator.Kube;
using k8s.Models;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>
/// One user session's durable binding to a host of a DesktopPool in the same namespace. Created by the gateway on a
/// user's first connection (or by a person to pin a host) and owned by its pool.
/// </summary>
[KubernetesEntity(Group = ApiGroup.Group, ApiVersion = ApiGroup.Version, Kind = KindName, PluralName = PluralName)]
[ResourceNames("sessionroute", "sr", ApiGroup.Category)]
[PrinterColumn(0, "Pool", "string", ".spec.pool", Description = "The DesktopPool of the session.")]
[PrinterColumn(1, "User", "string", ".spec.user", Description = "The user, or the client address for source-address affinity.")]
[PrinterColumn(2, "Protocol", "string", ".spec.protocol", Priority = 1, Description = "The pool protocol of the session.")]
[PrinterColumn(3, "Host", "string", ".status.host", Description = "The host the session is bound to.")]
[PrinterColumn(4, "Phase", "string", ".status.phase", Description = "Pending, Bound, Active, Disconnected, Expired or Failed.")]
[PrinterColumn(5, "Connections", "integer", ".status.activeConnections", Priority = 1, Description = "Open connections.")]
[PrinterColumn(6, "Age", "date", ".metadata.creationTimestamp")]
public sealed class SessionRoute : CustomResource<SessionRouteSpec, SessionRouteStatus>
{
    public const string KindName = "SessionRoute";

    public const string PluralName = "sessionroutes";

    public SessionRoute()
    {
        ApiVersion = ApiGroup.GroupVersion;
        Kind = KindName;
    }
}
