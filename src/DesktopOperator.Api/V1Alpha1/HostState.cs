namespace DesktopOperator.Api.V1Alpha1;

/// <summary>Where a host is in its life.</summary>
public enum HostState
{
    /// <summary>Created or starting; not yet healthy.</summary>
    Starting,

    /// <summary>Healthy and taking sessions.</summary>
    Ready,

    /// <summary>Failing its health check: routes go elsewhere.</summary>
    Unhealthy,

    /// <summary>Kept for its sessions, takes no new ones; removed once empty.</summary>
    Draining,
}
