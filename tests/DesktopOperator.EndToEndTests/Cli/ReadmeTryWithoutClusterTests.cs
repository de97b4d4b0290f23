using System.Net;
using System.Text.RegularExpressions;
using DesktopOperator.Testing;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.EndToEndTests.Cli;

/// <summary>
/// The README's "Try the operator without a cluster" section, run as written from the repository root: each of its
/// blocks that starts a program in a shell of its own (the test API server, kubectl + the operator, the simulated node,
/// Xvnc with a VNC password at the first pod's address, the RDP pool + demo account + xrdp-sesman, xrdp, and two
/// gateway replicas), started once the one before is up. The first "look" block runs until the first pod shows Ready
/// (the other must not, and vncsnapshot must log in to the pod's desktop); the VNC look block through both replicas
/// (<see cref="ReadmeGatewayLook"/>); the RDP client block, a full login of the demo account, three times over a
/// disconnect: through the first replica, again, through the second (<see cref="ReadmeRdpLook"/>); then the first
/// replica is restarted (its block run again) and both users come back through it to their pods; the sessions block
/// must show both pools and both users' routes. Every shell is stopped by PID (its process group), then the demo
/// account is removed with its processes. The README's fixed ports are shared with <see cref="ReadmeRunItTests"/>.
/// </summary>
[Collection(ReadmePorts.Collection)]
public sealed partial class ReadmeTryWithoutClusterTests
{
    private const string Section = "Try the operator without a cluster";
    private static readonly IPEndPoint FirstPod = new(IPAddress.Parse("127.0.0.21"), 5901);
    private static readonly Uri OperatorReadyz = new("http://127.0.0.1:8081/readyz");
    private static readonly Uri FirstReplicaReadyz = new("http://127.0.0.1:8080/readyz");
    private static readonly Uri SecondReplicaReadyz = new("http://127.0.0.2:8080/readyz");
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    [RootToolFact("dotnet", "setsid", "kubectl", "Xvnc", "vncpasswd", "vncsnapshot", "xrdp", "xrdp-sesman", "xfreerdp", "Xvfb", "useradd", "userdel", "chpasswd")]
    public async Task TryWithoutCluster_CommandsAsWrittenFromRepositoryRoot_VncAndRdpUsersComeBackToTheirPodsThroughEitherReplica()
    {
        var root = RepositoryPaths.Root;
        var blocks = ReadmeShellBlocks.Of(await File.ReadAllTextAsync(Path.Combine(root, "README.md")), Section);
        Assert.Equal(12, blocks.Count);
        var client = blocks[10].Trim();
        var (user, password) = (ClientUser().Match(client).Groups[1].Value, ClientPassword().Match(client).Groups[1].Value);
        ReadmeTryMachine.AssertFree(FirstPod, user);

        var logs = HostLogs.CreateDirectory("readme-try-without-cluster");
        var sim = Path.Combine(root, ".sim");
        var createdSim = !Path.Exists(sim);
        if (Directory.Exists(Path.Combine(sim, "xrdp")))
        {
            Directory.Delete(Path.Combine(sim, "xrdp"), recursive: true); // an earlier run's sesman log would count here
        }

        var shells = new ReadmeShells(root, logs);
        try
        {
            await shells.StartAsync("shell-1", blocks[0], s => Task.FromResult(s.ReadOutput().Contains("kubeconfig written to", StringComparison.Ordinal)), "block 1 (the API server) is up");
            await shells.StartAsync("shell-2", blocks[1], _ => ReadmeShells.ReadyzAsync(OperatorReadyz), "block 2 (the operator) is up");
            await shells.StartAsync("shell-3", blocks[2], s => Task.FromResult(s.ReadOutput().Contains("Simulated node sim-node-1", StringComparison.Ordinal)), "block 3 (the node) is up");
            await shells.StartAsync("shell-4", blocks[3], _ => PortProbe.IsOpenAsync(FirstPod, CancellationToken.None), "block 4 (Xvnc) is up");
            var (firstPod, podsCommand) = await FirstLookAsync(shells, blocks[4]);

            var sesmanIni = Path.Combine(sim, "xrdp", "sesman.ini");
            await shells.StartAsync("shell-6", blocks[5], _ => SesmanListensAsync(sesmanIni), "block 6 (the RDP pool's pod, the demo account and sesman) is up");
            var rdpAddress = IPAddress.Parse(SesmanAddress().Match(await File.ReadAllTextAsync(sesmanIni)).Groups[1].Value);
            await shells.StartAsync("shell-7", blocks[6], _ => PortProbe.IsOpenAsync(new IPEndPoint(rdpAddress, 3389), CancellationToken.None), "block 7 (xrdp) is up");
            var firstReplica = await shells.StartAsync("shell-8", blocks[7], _ => ReadmeShells.ReadyzAsync(FirstReplicaReadyz), "block 8 (the first gateway replica) is up");
            await shells.StartAsync("shell-9", blocks[8], _ => ReadmeShells.ReadyzAsync(SecondReplicaReadyz), "block 9 (the second gateway replica) is up");

            var vnc = new ReadmeGatewayLook(shells, blocks[9], firstPod);
            await vnc.RunAsync();

            var rdpPod = PodAt(await shells.RunCheckedAsync(ReadmeShellBlocks.Commands(blocks[4])[0], podsCommand), rdpAddress);
            await using var display = await XvfbDisplay.StartAsync(CancellationToken.None);
            var rdp = new ReadmeRdpLook(shells, display, LocalAccount.Adopt(user, password), rdpPod, client, blocks[11]);
            await rdp.ConnectAsync(rdp.Client);
            await rdp.ConnectAsync(rdp.Client);
            await rdp.ConnectAsync(rdp.ClientThroughSecond);

            // The first replica restarted (Ctrl-C, its block again): both users come back through it to their pods.
            await shells.StopAsync(firstReplica);
            await shells.StartAsync("shell-8-again", blocks[7], _ => ReadmeShells.ReadyzAsync(FirstReplicaReadyz), "block 8 (the first replica) is up again");
            await vnc.ReturnAsync(vnc.ThroughFirst);
            await rdp.ConnectAsync(rdp.Client);
            await rdp.SessionsAsync(firstPod);
        }
        finally
        {
            await shells.DisposeAsync();
            if (LocalAccount.Exists(user))
            {
                await LocalAccount.Adopt(user, password).DisposeAsync(); // made by block 6: its desktop goes with it
            }

            if (createdSim)
            {
                Directory.Delete(sim, recursive: true);
            }

            HostLogs.Remove(logs);
        }
    }

    /// <summary>The first look block until pod 127.0.0.21 is Ready; its assertions; the first pod's name and the pods command.</summary>
    private static async Task<(string FirstPod, string PodsCommand)> FirstLookAsync(ReadmeShells shells, string block)
    {
        var commands = ReadmeShellBlocks.Commands(block);
        Assert.Contains(commands, c => c.StartsWith("kubectl get dp,pods", StringComparison.Ordinal));
        var outputs = new Dictionary<string, string>();
        using var limit = new CancellationTokenSource(ReadyTimeout);
        while (!FirstPodReady(outputs))
        {
            Assert.False(limit.IsCancellationRequested, $"the first pod did not show Ready:\n{string.Join('\n', outputs.Values)}\n{shells.Logs()}");
            outputs.Clear();
            foreach (var command in commands.Skip(1))
            {
                outputs[command] = await shells.RunCheckedAsync(commands[0], command);
            }
        }

        var (podsCommand, pods) = outputs.First(o => o.Key.Contains("custom-columns='NAME:.metadata.name,NODE", StringComparison.Ordinal));
        Assert.Contains(pods.Split('\n'), l => l.Contains("sim-node-1", StringComparison.Ordinal) && l.Contains("127.0.0.22", StringComparison.Ordinal) && l.TrimEnd().EndsWith("False", StringComparison.Ordinal));
        Assert.Matches(@"vnc-desktops\s+1\s+2\s", outputs.First(o => o.Key.Contains("readyHosts", StringComparison.Ordinal)).Value);
        Assert.Contains("Desktop name \"pod-desktop\"", outputs.First(o => o.Key.StartsWith("vncsnapshot", StringComparison.Ordinal)).Value, StringComparison.Ordinal);
        Assert.Contains("vnc-desktops", outputs.First(o => o.Key.StartsWith("kubectl get dp,pods", StringComparison.Ordinal)).Value, StringComparison.Ordinal);
        return (PodAt(pods, FirstPod.Address), podsCommand);
    }

    /// <summary>The custom-columns line of pod 127.0.0.21 ends in True and the pool counts one ready host.</summary>
    private static bool FirstPodReady(Dictionary<string, string> outputs) =>
        outputs.Any(o => o.Key.Contains("NODE:.spec.nodeName", StringComparison.Ordinal)
            && o.Value.Split('\n').Any(l => l.Contains(" 127.0.0.21 ", StringComparison.Ordinal) && l.TrimEnd().EndsWith("True", StringComparison.Ordinal)))
        && outputs.Any(o => o.Key.Contains("readyHosts", StringComparison.Ordinal) && Regex.IsMatch(o.Value, @"vnc-desktops\s+1\s"));

    /// <summary>The name of the pod at <paramref name="address"/> in the README's pods listing (NAME NODE PHASE IP READY).</summary>
    private static string PodAt(string pods, IPAddress address) =>
        pods.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).First(c => c.Length == 5 && c[3] == address.ToString())[0];

    /// <summary>Block 6 has written sesman's configuration and sesman listens at the pod's address (port 3350).</summary>
    private static async Task<bool> SesmanListensAsync(string sesmanIni) =>
        File.Exists(sesmanIni) && SesmanAddress().Match(await File.ReadAllTextAsync(sesmanIni)) is { Success: true } m
        && await PortProbe.IsOpenAsync(new IPEndPoint(IPAddress.Parse(m.Groups[1].Value), 3350), CancellationToken.None);

    [GeneratedRegex(@" /u:(\S+)")]
    private static partial Regex ClientUser();

    [GeneratedRegex(@" /p:(\S+)")]
    private static partial Regex ClientPassword();

    [GeneratedRegex(@"^ListenAddress=(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex SesmanAddress();
}
