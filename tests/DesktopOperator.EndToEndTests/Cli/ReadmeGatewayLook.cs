using DesktopOperator.Testing.Processes;

namespace DesktopOperator.EndToEndTests.Cli;

/// <summary>
/// The last block of "Try the operator without a cluster", run as written once the gateway is ready: vncsnapshot
/// through the gateway's port, then <c>kubectl get sr</c>. The block is run again until vncsnapshot has succeeded and
/// the SessionRoute names the first pod: the gateway's first plan may come before its first health check of the pod,
/// so the first attempt is not asserted. Then the README's <c>kubectl get sr</c> is run again until the route is
/// Disconnected (vncsnapshot has exited; the gateway writes session status at most once a second per route).
/// </summary>
internal static class ReadmeGatewayLook
{
    private const string Pool = "vnc-desktops";
    private const string User = "127.0.0.1";
    private static readonly string[] HoldingPhases = ["Bound", "Active", "Disconnected"];
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(string root, string block, string firstPod, Func<string> logs)
    {
        var commands = ReadmeShellBlocks.Commands(block);
        Assert.Equal(3, commands.Count);
        var (exports, snapshot, routes) = (commands[0], commands[1], commands[2]);
        Assert.StartsWith("vncsnapshot ", snapshot, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1::5900", snapshot, StringComparison.Ordinal);
        Assert.StartsWith("kubectl get sr ", routes, StringComparison.Ordinal);
        var shot = Path.Combine(root, ".sim", "gateway-shot.jpg");
        File.Delete(shot); // a shot from an earlier run must not pass for this one's

        var tries = new List<string>();
        using var limit = new CancellationTokenSource(Timeout);
        ProcessResult? seen = null;
        string? route = null;
        while (seen is null || route is null)
        {
            Assert.False(limit.IsCancellationRequested, $"no snapshot through the gateway and route to {firstPod}:\n{string.Join('\n', tries)}\n{logs()}");
            var result = await RunAsync(root, exports, snapshot);
            tries.Add($"$ {snapshot}\n{result}");
            seen ??= result.Succeeded ? result : null;
            var listed = await RunAsync(root, exports, routes);
            Assert.True(listed.Succeeded, $"README command failed: {routes}\n{listed}\n{logs()}");
            tries.Add($"$ {routes}\n{listed}");
            route = RouteLine(listed.Stdout);
            route = route is not null && seen is not null && Columns(route)[3] == firstPod ? route : null;
        }

        // vncsnapshot prints the server's desktop name: the Xvnc at the first pod's address, reached through the gateway.
        Assert.Contains("Desktop name \"pod-desktop\"", seen.Stdout + seen.Stderr, StringComparison.Ordinal);
        var bytes = await File.ReadAllBytesAsync(shot);
        Assert.True(bytes.Length > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF, $"{shot} ({bytes.Length} bytes) is not a JPEG\n{seen}");
        Assert.Contains(Columns(route)[4], HoldingPhases);

        while (Columns(route)[4] != "Disconnected")
        {
            Assert.False(limit.IsCancellationRequested, $"the route did not turn Disconnected after vncsnapshot exited:\n{string.Join('\n', tries)}\n{logs()}");
            var listed = await RunAsync(root, exports, routes);
            tries.Add($"$ {routes}\n{listed}");
            route = RouteLine(listed.Stdout) ?? throw new Xunit.Sdk.XunitException($"the route is gone:\n{string.Join('\n', tries)}\n{logs()}");
            Assert.Equal(firstPod, Columns(route)[3]);
        }
    }

    /// <summary>The custom-columns line (NAME POOL USER HOST PHASE) of the README pool's route for this client.</summary>
    private static string? RouteLine(string output) =>
        output.Split('\n').FirstOrDefault(l => Columns(l) is [_, Pool, User, _, _]);

    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>One command in a fresh shell with the block's exports (its first line), as a user at that prompt.</summary>
    private static Task<ProcessResult> RunAsync(string root, string exports, string command) =>
        ProcessRunner.RunAsync("bash", ["-c", $"cd \"$0\" && {exports} && {command}", root], CommandTimeout, CancellationToken.None);
}
