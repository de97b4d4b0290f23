namespace DesktopOperator.Gateway.Tcp.Vnc;

/// <summary>A pool's <c>spec.protocols[].clientLockout</c>: <paramref name="MaxFailures"/> in a row within
/// <paramref name="Window"/> lock a client address out for <paramref name="Backoff"/>.</summary>
internal sealed record VncClientLockoutSettings(int MaxFailures, TimeSpan Window, TimeSpan Backoff)
{
    /// <summary>Below TigerVNC's default BlacklistThreshold of 5, so one client alone never gets the gateway blacklisted.</summary>
    public static VncClientLockoutSettings Default { get; } = new(3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
}
