using DesktopOperator.Api.Schema;
using k8s.Models;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>Where the session is bound and whether it is in use, written by the gateway and the operator.</summary>
public sealed class SessionRouteStatus
{
    /// <summary>The metadata.generation this status was computed from.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>Pending, Bound, Active, Disconnected, Expired or Failed.</summary>
    public SessionRoutePhase? Phase { get; set; }

    /// <summary>The host (in the pool) the session is bound to.</summary>
    public string? Host { get; set; }

    /// <summary>The host's address when the route was bound.</summary>
    public string? HostAddress { get; set; }

    /// <summary>
    /// The uid of the host's pod when the route was bound (none for static hosts): a pod created since under the same
    /// name is another machine, and the route's host counts as gone.
    /// </summary>
    public string? HostUid { get; set; }

    /// <summary>When the route was bound to its host.</summary>
    public DateTimeOffset? BoundAt { get; set; }

    /// <summary>When a connection of the session was last open (updated at connect and disconnect, not per packet).</summary>
    public DateTimeOffset? LastSeen { get; set; }

    /// <summary>Connections open through all gateway replicas.</summary>
    public int ActiveConnections { get; set; }

    /// <summary>Ready, and Degraded when the route is invalid.</summary>
    [ListMap("type")]
    public IList<V1Condition>? Conditions { get; set; }
}
