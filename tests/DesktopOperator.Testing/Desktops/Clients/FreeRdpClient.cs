using System.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Desktops.Clients;

/// <summary>
/// The real RDP client FreeRDP 2 (<c>xfreerdp</c>) in <c>+auth-only</c> mode: it connects, logs in and exits without
/// opening a window, but still needs an X display (<see cref="XvfbDisplay"/>). Its X.224 Connection Request
/// carries <c>Cookie: mstshash=USER\r\n</c> (the /u: value) followed by an RDP_NEG_REQ; the certificate is ignored.
/// </summary>
public static class FreeRdpClient
{
    public static async Task<FreeRdpResult> AuthOnlyAsync(
        XvfbDisplay display,
        IPEndPoint server,
        string user,
        string password,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(
            ExternalTools.Require("xfreerdp"),
            [
                $"/v:{server.Address}:{server.Port}", $"/u:{user}", $"/p:{password}", "+auth-only", "/cert:ignore",
                $"/timeout:{(int)timeout.TotalMilliseconds}",
            ],
            timeout,
            cancellationToken,
            // A private HOME keeps FreeRDP's ~/.config/freerdp out of the user's folder.
            new Dictionary<string, string> { ["DISPLAY"] = display.Name, ["HOME"] = FreeRdpHome() });
        return new FreeRdpResult(result);
    }

    private static string FreeRdpHome()
    {
        var home = Path.Combine(Path.GetTempPath(), "desktop-operator-tests", "freerdp-home");
        Directory.CreateDirectory(home);
        return home;
    }
}
