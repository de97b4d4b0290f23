using DesktopOperator.Api.Schema;
using k8s.Models;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>The observed state of a DesktopPool, written by the operator.</summary>
public sealed class DesktopPoolStatus
{
    /// <summary>The metadata.generation this status was computed from.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>All hosts of the pool, in any state.</summary>
    public int TotalHosts { get; set; }

    /// <summary>Hosts that pass their health check and take sessions.</summary>
    public int ReadyHosts { get; set; }

    /// <summary>Hosts being emptied before removal: they keep their sessions and take no new ones.</summary>
    public int DrainingHosts { get; set; }

    /// <summary>Hosts made from the pool's current template (a rolling update is done when this equals totalHosts).</summary>
    public int UpdatedHosts { get; set; }

    /// <summary>Hosts made from an older template: they drain and are deleted once their last session has ended.</summary>
    public int OutdatedHosts { get; set; }

    /// <summary>Sessions with at least one open connection.</summary>
    public int ActiveSessions { get; set; }

    /// <summary>Sessions with no open connection that keep their host for a returning user.</summary>
    public int DisconnectedSessions { get; set; }

    /// <summary>Users queued because the pool was full.</summary>
    public int PendingSessions { get; set; }

    /// <summary>Session slots free on ready, non-draining hosts.</summary>
    public int FreeSlots { get; set; }

    /// <summary>One entry per host.</summary>
    [ListMap("name")]
    public IList<HostStatus>? Hosts { get; set; }

    /// <summary>Ready, Degraded, ScalingLimited and Progressing.</summary>
    [ListMap("type")]
    public IList<V1Condition>? Conditions { get; set; }
}
