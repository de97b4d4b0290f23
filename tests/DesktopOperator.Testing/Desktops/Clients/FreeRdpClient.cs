using System.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Desktops.Clients;

/// <summary>
/// The real RDP client FreeRDP 2 (<c>xfreerdp</c>): in <c>+auth-only</c> mode it connects, logs in and exits without
/// opening a window, but still needs an X display (<see cref="XvfbDisplay"/>); <see cref="StartSession"/> stays. Its X.224 Connection Request
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
        // A private HOME keeps FreeRDP's ~/.config/freerdp out of the user's folder; removed once the client exits.
        var home = Directory.CreateTempSubdirectory("desktop-operator-freerdp-").FullName;
        try
        {
            var result = await ProcessRunner.RunAsync(
                ExternalTools.Require("xfreerdp"),
                [
                    $"/v:{server.Address}:{server.Port}", $"/u:{user}", $"/p:{password}", "+auth-only", "/cert:ignore",
                    $"/timeout:{(int)timeout.TotalMilliseconds}",
                ],
                timeout,
                cancellationToken,
                new Dictionary<string, string> { ["DISPLAY"] = display.Name, ["HOME"] = home });
            return new FreeRdpResult(result);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>
    /// A full session (no <c>+auth-only</c>): xfreerdp logs in and shows the remote desktop in a window on
    /// <paramref name="display"/> until the returned process is disposed, which disconnects it (killed by PID). Its HOME is
    /// a folder in <paramref name="logDirectory"/>, removed with it.
    /// </summary>
    public static ChildProcess StartSession(XvfbDisplay display, IPEndPoint server, string user, string password, string logDirectory) =>
        ChildProcess.Start(
            "xfreerdp",
            ExternalTools.Require("xfreerdp"),
            [$"/v:{server.Address}:{server.Port}", $"/u:{user}", $"/p:{password}", "/cert:ignore", "/size:800x600"],
            logDirectory,
            new Dictionary<string, string> { ["DISPLAY"] = display.Name, ["HOME"] = Directory.CreateDirectory(Path.Combine(logDirectory, "freerdp-home")).FullName });
}
