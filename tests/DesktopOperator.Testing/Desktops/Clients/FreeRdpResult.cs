using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Desktops.Clients;

/// <summary>
/// An <c>xfreerdp +auth-only</c> run. Success is exit code 0 together with FreeRDP's own line
/// "Authentication only, exit status 0": against xrdp that means the whole connection sequence (X.224 with the
/// mstshash cookie, TLS, MCS, channel joins, licensing, client info with the user name) completed.
/// </summary>
public sealed record FreeRdpResult(ProcessResult Process)
{
    public const string SuccessLine = "Authentication only, exit status 0";

    public bool Succeeded => Process.Succeeded && (Process.Stdout + Process.Stderr).Contains(SuccessLine, StringComparison.Ordinal);
}
