using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>A summary of one host of the pool.</summary>
public sealed class HostStatus
{
    /// <summary>The host's name in the pool: the pod name, or staticHosts[].name.</summary>
    [Required]
    public string Name { get; set; } = "";

    /// <summary>The address the gateway connects to (pod IP or static address).</summary>
    public string? Address { get; set; }

    /// <summary>Starting, Ready, Unhealthy or Draining.</summary>
    public HostState State { get; set; }

    /// <summary>Sessions on this host with an open connection.</summary>
    public int ActiveSessions { get; set; }

    /// <summary>Sessions on this host kept for a returning user.</summary>
    public int DisconnectedSessions { get; set; }

    /// <summary>Why the host is not Ready, when it is not.</summary>
    public string? Message { get; set; }
}
