using System.Net;
using System.Text.RegularExpressions;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Desktops.Clients;

/// <summary>
/// The real VNC client <c>vncsnapshot</c> (TightVNC-based, RFB 3.3): connects, prints <c>Desktop name "X"</c>, saves
/// one frame as JPEG and exits 0. Raw encoding, and blank frames allowed (a fresh Xvnc shows a black screen).
/// </summary>
public static partial class VncSnapshotClient
{
    /// <param name="passwordFile">A <c>vncpasswd -f</c> file for VNC Authentication (<c>-passwd FILE</c>), or null.</param>
    public static async Task<VncSnapshotResult> CaptureAsync(
        IPEndPoint server, string imagePath, TimeSpan timeout, CancellationToken cancellationToken, string? passwordFile = null)
    {
        string[] password = passwordFile is null ? [] : ["-passwd", passwordFile];
        var result = await ProcessRunner.RunAsync(
            ExternalTools.Require("vncsnapshot"),
            // HOST::PORT is vncsnapshot's syntax for a port (HOST:N would mean display N).
            [.. password, "-allowblank", "-encodings", "raw", $"{server.Address}::{server.Port}", imagePath],
            timeout,
            cancellationToken);
        var match = DesktopNameLine().Match(result.Stdout + result.Stderr);
        return new VncSnapshotResult(result, match.Success ? match.Groups["name"].Value : null, imagePath);
    }

    [GeneratedRegex("Desktop name \"(?<name>[^\"]*)\"")]
    private static partial Regex DesktopNameLine();
}
