using System.Net;
using System.Net.Sockets;
using DesktopOperator.Testing;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.EndToEndTests.Cli;

/// <summary>
/// The README's "Try the operator without a cluster" section, run as written from the repository root: each of its
/// blocks that starts a program in a shell of its own (the test API server, kubectl + the operator, the simulated node,
/// Xvnc at the first pod's address, later kubectl + the gateway; each last command stays in the foreground), started
/// once the one before is up; then the commands of the first "look" block until the first pod shows Ready (the node
/// probes every second) — the other pod must not, and vncsnapshot must see the pod's desktop; then the gateway and the
/// commands of the second "look" block until vncsnapshot has seen the desktop through the gateway, and until the
/// SessionRoute the gateway wrote names the first pod and turns Disconnected. Every shell is stopped by PID (its
/// process group). The README's fixed ports are shared with <see cref="ReadmeRunItTests"/>: one collection.
/// </summary>
[Collection(ReadmePorts.Collection)]
public sealed class ReadmeTryWithoutClusterTests
{
    private const string Section = "Try the operator without a cluster";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private static readonly IPEndPoint FirstPod = new(IPAddress.Parse("127.0.0.21"), 5901);
    private static readonly Uri OperatorReadyz = new("http://127.0.0.1:8081/readyz");
    private static readonly Uri GatewayReadyz = new("http://127.0.0.1:8080/readyz");

    // dotnet run builds the Debug configuration of each program first: minutes on a busy 2-core machine.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    [ToolFact("dotnet", "setsid", "kubectl", "Xvnc", "vncsnapshot")]
    public async Task TryWithoutCluster_CommandsAsWrittenFromRepositoryRoot_FirstPodReadyAndReachedThroughTheGateway()
    {
        var root = RepositoryPaths.Root;
        var blocks = ReadmeShellBlocks.Of(await File.ReadAllTextAsync(Path.Combine(root, "README.md")), Section);
        Assert.Equal(7, blocks.Count);
        foreach (var (port, who) in new[] { (8081, "operator"), (8080, "gateway"), (5900, "gateway's pool port") })
        {
            Assert.True(IsFree(new IPEndPoint(IPAddress.Loopback, port)), $"port {port} (the README's {who}) is taken on this machine");
        }

        Assert.True(IsFree(FirstPod), $"{FirstPod} (the README's first pod address) is taken on this machine");
        Assert.False(File.Exists("/tmp/.X11-unix/X21"), "X display :21 (the README's Xvnc) is taken on this machine");

        var logs = HostLogs.CreateDirectory("readme-try-without-cluster");
        var createdSim = !Path.Exists(Path.Combine(root, ".sim"));
        var shells = new List<ChildProcess>();
        try
        {
            Func<ChildProcess, Task<bool>>[] started =
            [
                s => Task.FromResult(s.ReadOutput().Contains("kubeconfig written to", StringComparison.Ordinal)),
                _ => ReadyzAsync(OperatorReadyz),
                s => Task.FromResult(s.ReadOutput().Contains("Simulated node sim-node-1", StringComparison.Ordinal)),
                _ => PortProbe.IsOpenAsync(FirstPod, CancellationToken.None),
            ];
            for (var i = 0; i < started.Length; i++)
            {
                var shell = ChildProcess.Start($"shell-{i + 1}", "bash", ["-c", "cd \"$0\" || exit 1\nset -e\n" + blocks[i], root], logs);
                shells.Add(shell);
                await WaitAsync(shell, started[i], StartTimeout, $"block {i + 1} of the README section is up", shells);
            }

            var commands = ReadmeShellBlocks.Commands(blocks[4]);
            Assert.Contains(commands, c => c.StartsWith("kubectl get dp,pods", StringComparison.Ordinal));
            var outputs = new Dictionary<string, string>();
            using var limit = new CancellationTokenSource(ReadyTimeout);
            while (!FirstPodReady(outputs))
            {
                Assert.False(limit.IsCancellationRequested, $"the first pod did not show Ready:\n{string.Join('\n', outputs.Values)}\n{Logs(shells)}");
                outputs.Clear();
                // Each command in a fresh shell with the block's exports (the first line), as a user at that prompt.
                var exports = commands[0];
                foreach (var command in commands.Skip(1))
                {
                    var result = await ProcessRunner.RunAsync("bash", ["-c", $"cd \"$0\" && {exports} && {command}", root], CommandTimeout, CancellationToken.None);
                    Assert.True(result.Succeeded, $"README command failed: {command}\n{result}\n{Logs(shells)}");
                    outputs[command] = result.Stdout + result.Stderr;
                }
            }

            var pods = outputs.First(o => o.Key.Contains("custom-columns='NAME:.metadata.name,NODE", StringComparison.Ordinal)).Value;
            Assert.Contains(pods.Split('\n'), l => l.Contains("sim-node-1", StringComparison.Ordinal) && l.Contains("127.0.0.22", StringComparison.Ordinal) && l.TrimEnd().EndsWith("False", StringComparison.Ordinal));
            Assert.Matches(@"vnc-desktops\s+1\s+2\s", outputs.First(o => o.Key.Contains("readyHosts", StringComparison.Ordinal)).Value);
            Assert.Contains("Desktop name \"pod-desktop\"", outputs.First(o => o.Key.StartsWith("vncsnapshot", StringComparison.Ordinal)).Value, StringComparison.Ordinal);
            Assert.Contains("vnc-desktops", outputs.First(o => o.Key.StartsWith("kubectl get dp,pods", StringComparison.Ordinal)).Value, StringComparison.Ordinal);

            var firstPod = pods.Split('\n').First(l => l.Contains(" 127.0.0.21 ", StringComparison.Ordinal)).Split(' ')[0];
            var gateway = ChildProcess.Start("shell-6", "bash", ["-c", "cd \"$0\" || exit 1\nset -e\n" + blocks[5], root], logs);
            shells.Add(gateway);
            await WaitAsync(gateway, _ => ReadyzAsync(GatewayReadyz), StartTimeout, "block 6 of the README section (the gateway) is up", shells);
            await ReadmeGatewayLook.RunAsync(root, blocks[6], firstPod, () => Logs(shells));
        }
        finally
        {
            for (var i = shells.Count - 1; i >= 0; i--)
            {
                await shells[i].StopAsync(TimeSpan.FromSeconds(15));
                await shells[i].DisposeAsync();
            }

            if (createdSim)
            {
                Directory.Delete(Path.Combine(root, ".sim"), recursive: true);
            }

            HostLogs.Remove(logs);
        }
    }

    /// <summary>The custom-columns line of pod 127.0.0.21 ends in True and the pool counts one ready host.</summary>
    private static bool FirstPodReady(Dictionary<string, string> outputs) =>
        outputs.Any(o => o.Key.Contains("NODE:.spec.nodeName", StringComparison.Ordinal)
            && o.Value.Split('\n').Any(l => l.Contains(" 127.0.0.21 ", StringComparison.Ordinal) && l.TrimEnd().EndsWith("True", StringComparison.Ordinal)))
        && outputs.Any(o => o.Key.Contains("readyHosts", StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.IsMatch(o.Value, @"vnc-desktops\s+1\s"));

    private static async Task<bool> ReadyzAsync(Uri readyz)
    {
        try
        {
            using var response = await Http.GetAsync(readyz);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false; // still building or starting
        }
        catch (TaskCanceledException)
        {
            return false; // a slow answer while the machine builds
        }
    }

    private static async Task WaitAsync(ChildProcess shell, Func<ChildProcess, Task<bool>> condition, TimeSpan timeout, string what, List<ChildProcess> shells)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (!await condition(shell))
        {
            Assert.False(shell.HasExited, $"{what}: the shell ended\n{Logs(shells)}");
            Assert.False(limit.IsCancellationRequested, $"{what}: not within {timeout}\n{Logs(shells)}");
            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }
    }

    private static string Logs(List<ChildProcess> shells) => string.Join('\n', shells.Select(s => $"--- {s.Name}:\n{s.ReadOutput()}"));

    private static bool IsFree(IPEndPoint endpoint)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
