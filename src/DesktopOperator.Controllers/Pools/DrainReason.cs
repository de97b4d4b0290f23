using DesktopOperator.Api.Hosts;

namespace DesktopOperator.Controllers.Pools;

/// <summary>Why a host drains: the value of its <see cref="HostLabels.Draining"/> label and the event reason.</summary>
internal static class DrainReason
{
    /// <summary>More hosts than desired: may be taken back into service when sessions grow again.</summary>
    public const string ScaleDown = "ScaleDown";

    /// <summary>Made from an older template (rolling update).</summary>
    public const string Outdated = "Outdated";

    /// <summary>Its node is cordoned (unschedulable): replaced elsewhere.</summary>
    public const string NodeCordoned = "NodeCordoned";

    /// <summary>The pool is being deleted.</summary>
    public const string PoolDeleting = "PoolDeleting";
}
