using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>The desired state of a DesktopPool.</summary>
[CelRule("has(self.template) ? !has(self.staticHosts) : has(self.staticHosts)", "spec: exactly one of template or staticHosts must be set")]
[CelRule("!has(self.healthCheck.protocol) || self.protocols.exists(p, p.name == self.healthCheck.protocol)",
    "spec.healthCheck.protocol: must name one of spec.protocols")]
public sealed class DesktopPoolSpec
{
    /// <summary>
    /// The pod template of the session hosts the operator creates and deletes itself (one pod per host). Exactly
    /// one of template and staticHosts is set.
    /// </summary>
    public HostTemplate? Template { get; set; }

    /// <summary>
    /// Existing machines that serve sessions, for hosts outside the cluster (terminal servers, x2go hosts).
    /// Exactly one of template and staticHosts is set.
    /// </summary>
    [Items(1, 256)]
    [ListMap("name")]
    [CelRule("self.all(h, self.exists_one(g, g.name == h.name))", "spec.staticHosts: host names must be unique")]
    public IList<StaticHost>? StaticHosts { get; set; }

    /// <summary>What the gateway exposes for this pool: one entry per protocol the hosts serve.</summary>
    [Required]
    [Items(1, 16)]
    [ListMap("name")]
    [CelRule("self.all(p, self.exists_one(q, q.name == p.name))", "spec.protocols: protocol names must be unique")]
    [CelRule("self.all(p, !has(p.gatewayPort) || self.exists_one(q, has(q.gatewayPort) && q.gatewayPort == p.gatewayPort))",
        "spec.protocols: gateway ports must be unique")]
    public IList<ProtocolSpec> Protocols { get; set; } = [];

    /// <summary>
    /// How many sessions a host takes and how many hosts the pool runs. Omitted: sessionsPerHost 1, minHosts 1,
    /// maxHosts 10, bufferSessions 1, scaleDownDelay 5m; an omitted field of a given capacity gets the same default.
    /// </summary>
    public CapacitySpec Capacity { get; set; } = new();

    /// <summary>How the gateway picks a host for a new session.</summary>
    public BalancingSpec Balancing { get; set; } = new();

    /// <summary>How a returning user is recognised and how long their host is kept for them.</summary>
    public AffinitySpec Affinity { get; set; } = new();

    /// <summary>
    /// The gateway's active health check of every host. Omitted: kind Tcp on the first protocol's port, interval 2s,
    /// timeout 1s, rise 2, fall 3 (path / for kind Http); an omitted field gets the same default.
    /// </summary>
    public HealthCheckSpec HealthCheck { get; set; } = new();

    /// <summary>Limits on sessions, and what happens when the pool is full.</summary>
    public SessionsSpec Sessions { get; set; } = new();

    /// <summary>Who may use the pool. Empty lists allow everyone.</summary>
    public AccessSpec Access { get; set; } = new();
}
