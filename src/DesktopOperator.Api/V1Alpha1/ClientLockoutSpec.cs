using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>
/// How the gateway protects a VNC port from one client's wrong passwords. The gateway reads the server's
/// SecurityResult (sent in the clear) and, after <c>maxFailures</c> failed logins in a row from one client address
/// within <c>window</c>, refuses that address for <c>backoff</c> without contacting the server: otherwise the server
/// would blacklist the gateway's own address, which every user shares (TigerVNC does after 5 failures).
/// </summary>
public sealed class ClientLockoutSpec
{
    /// <summary>Failed logins in a row (or connections closed before logging in) that lock a client out; 0 turns the lockout off.</summary>
    [Range(0, 100)]
    public int MaxFailures { get; set; } = 3;

    /// <summary>Failures older than this are forgotten.</summary>
    [Duration]
    [Length(1, 32)]
    public string Window { get; set; } = "1m";

    /// <summary>How long a locked-out client address is refused.</summary>
    [Duration]
    [Length(1, 32)]
    public string Backoff { get; set; } = "1m";
}
