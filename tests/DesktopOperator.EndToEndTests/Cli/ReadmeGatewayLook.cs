using DesktopOperator.Testing.Processes;

namespace DesktopOperator.EndToEndTests.Cli;

/// <summary>
/// The VNC "look through the gateways" block of "Try the operator without a cluster", run as written once both
/// replicas are ready: vncsnapshot through the first replica, through the second, then <c>kubectl get sr</c>. The
/// first replica's snapshot is run again until it has succeeded and the SessionRoute names the first pod (the
/// gateway's first plan may come before its first health check of the pod, so the first attempts are not asserted);
/// from then on every snapshot (through the second replica, and through the first after its restart) must reach the
/// pod's desktop and the route must name the same pod. Then the route must turn Disconnected (vncsnapshot has exited;
/// the gateway writes session status at most once a second per route).
/// </summary>
internal sealed class ReadmeGatewayLook
{
    private const string Pool = "vnc-desktops";
    private const string User = "127.0.0.1";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly ReadmeShells _shells;
    private readonly string _firstPod;
    private readonly string _exports;
    private readonly string _routes;
    private readonly List<string> _tries = [];

    public ReadmeGatewayLook(ReadmeShells shells, string block, string firstPod)
    {
        _shells = shells;
        _firstPod = firstPod;
        var commands = ReadmeShellBlocks.Commands(block);
        Assert.Equal(4, commands.Count);
        (_exports, ThroughFirst, ThroughSecond, _routes) = (commands[0], commands[1], commands[2], commands[3]);
        Assert.StartsWith("vncsnapshot ", ThroughFirst, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1::5900", ThroughFirst, StringComparison.Ordinal);
        Assert.StartsWith("vncsnapshot ", ThroughSecond, StringComparison.Ordinal);
        Assert.Contains("127.0.0.2::5900", ThroughSecond, StringComparison.Ordinal);
        Assert.StartsWith("kubectl get sr ", _routes, StringComparison.Ordinal);
    }

    /// <summary>The block's vncsnapshot through the first replica (127.0.0.1::5900).</summary>
    public string ThroughFirst { get; }

    /// <summary>The block's vncsnapshot through the second replica (127.0.0.2::5900).</summary>
    public string ThroughSecond { get; }

    /// <summary>The whole block: the first snapshot until it lands on the first pod, then the second replica's.</summary>
    public async Task RunAsync()
    {
        using var limit = new CancellationTokenSource(Timeout);
        ProcessResult? seen = null;
        while (seen is null || !await RouteNamesFirstPodAsync())
        {
            Assert.False(limit.IsCancellationRequested, $"no snapshot through the first replica and route to {_firstPod}:\n{Tries()}");
            var result = await _shells.RunAsync(_exports, ThroughFirst);
            _tries.Add($"$ {ThroughFirst}\n{result}");
            seen ??= result.Succeeded ? result : null;
        }

        AssertDesktop(seen, ThroughFirst);
        await DisconnectedAsync();
        await ReturnAsync(ThroughSecond);
    }

    /// <summary>The user comes back with <paramref name="snapshot"/>: the pod's desktop, the route on the same pod.</summary>
    public async Task ReturnAsync(string snapshot)
    {
        using var limit = new CancellationTokenSource(Timeout);
        ProcessResult result;
        // A replica that has just started routes once its first health check of the pod has passed.
        while (!(result = await _shells.RunAsync(_exports, snapshot)).Succeeded)
        {
            _tries.Add($"$ {snapshot}\n{result}");
            Assert.True(await RouteNamesFirstPodAsync(), $"the route left {_firstPod}:\n{Tries()}");
            Assert.False(limit.IsCancellationRequested, $"no snapshot with {snapshot}:\n{Tries()}");
        }

        _tries.Add($"$ {snapshot}\n{result}");
        AssertDesktop(result, snapshot);
        Assert.True(await RouteNamesFirstPodAsync(), $"the route left {_firstPod}:\n{Tries()}");
        await DisconnectedAsync();
    }

    private async Task<bool> RouteNamesFirstPodAsync() => Columns(await RouteAsync()) is [_, _, _, var host, _] && host == _firstPod;

    private async Task DisconnectedAsync()
    {
        using var limit = new CancellationTokenSource(Timeout);
        string[] route;
        while ((route = Columns(await RouteAsync())) is not [_, _, _, _, "Disconnected"])
        {
            Assert.False(limit.IsCancellationRequested, $"the route did not turn Disconnected after vncsnapshot exited:\n{Tries()}");
            Assert.True(route.Length == 5 && route[3] == _firstPod, $"the route is gone or left {_firstPod}:\n{Tries()}");
        }

        Assert.Equal(_firstPod, route[3]);
    }

    /// <summary>The custom-columns line (NAME POOL USER HOST PHASE) of the pool's route for this client.</summary>
    private async Task<string> RouteAsync()
    {
        var listed = await _shells.RunCheckedAsync(_exports, _routes);
        _tries.Add($"$ {_routes}\n{listed}");
        return listed.Split('\n').FirstOrDefault(l => Columns(l) is [_, Pool, User, _, _]) ?? string.Empty;
    }

    /// <summary>vncsnapshot prints the server's desktop name: the Xvnc at the first pod's address, reached through a gateway.</summary>
    private void AssertDesktop(ProcessResult result, string snapshot)
    {
        Assert.Contains("Desktop name \"pod-desktop\"", result.Stdout + result.Stderr, StringComparison.Ordinal);
        var shot = Path.Combine(_shells.Root, snapshot.Split(' ')[^1]);
        var bytes = File.ReadAllBytes(shot);
        Assert.True(bytes.Length > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF, $"{shot} ({bytes.Length} bytes) is not a JPEG\n{result}");
        File.Delete(shot); // the next run must write its own
    }

    private string Tries() => string.Join('\n', _tries.TakeLast(20)) + "\n" + _shells.Logs();

    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
