namespace DesktopOperator.Controllers.Pools;

/// <summary>Why a host is deleted.</summary>
internal static class DeleteReason
{
    /// <summary>It was draining and has no bound route left.</summary>
    public const string Drained = "Drained";

    /// <summary>The pod failed (crashed or evicted by the kubelet); a replacement is created.</summary>
    public const string Failed = "Failed";

    /// <summary>It drained longer than the maximum drain time; its remaining sessions are cut.</summary>
    public const string DrainTimeExceeded = "DrainTimeExceeded";
}
