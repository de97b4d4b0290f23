using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Desktops.Clients;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.EndToEndTests.Desktops;

public sealed class SshdHostTests
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);

    [ToolFact("sshd", "ssh", "ssh-keygen", "setsid")]
    public async Task RealSshClient_TwoHostsSharingClientKey_EachNamesItselfAndRunsCommand()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var keyFolder = HostLogs.CreateDirectory("ssh-client");
        try
        {
            var key = await SshClientKey.CreateAsync(keyFolder, cts.Token);
            await using var a = await SshdHost.StartAsync(new SshdHostOptions("ssh-a", LoopbackPorts.Address(11), ClientKey: key), cts.Token);
            await using var b = await SshdHost.StartAsync(new SshdHostOptions("ssh-b", LoopbackPorts.Address(12), ClientKey: key), cts.Token);

            var fromA = await SshClient.RunAsync(a.Endpoint, key, SshdHost.User, "echo ran-$((20+22))", ClientTimeout, cts.Token);
            var fromB = await SshClient.RunAsync(b.Endpoint, key, SshdHost.User, "echo ran", ClientTimeout, cts.Token, source: LoopbackPorts.Address(114));

            Assert.True(fromA.Succeeded, fromA + "\n" + a.Describe());
            Assert.True(fromB.Succeeded, fromB + "\n" + b.Describe());
            Assert.Equal("ssh-a", SshClient.ServedBy(fromA));
            Assert.Equal("ssh-b", SshClient.ServedBy(fromB));
            Assert.Equal("ssh-a\nran-42\n", fromA.Stdout);
            Assert.Contains("from 127.0.0.114 port", File.ReadAllText(Path.Combine(b.Directory, "sshd.stderr.log")), StringComparison.Ordinal);
        }
        finally
        {
            HostLogs.Remove(keyFolder);
        }
    }

    [ToolFact("sshd", "ssh", "ssh-keygen", "setsid")]
    public async Task DisposeAsync_HostWithLiveSession_KillsDaemonAndSession()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var host = await SshdHost.StartAsync(new SshdHostOptions("ssh-c", LoopbackPorts.Address(13)), cts.Token);
        var session = SshClient.RunAsync(host.Endpoint, host.ClientKey, SshdHost.User, "sleep 60", TimeSpan.FromSeconds(45), cts.Token);
        Assert.True(
            await Eventually.HoldsAsync(
                () => File.ReadAllText(Path.Combine(host.Directory, "sshd.stderr.log")).Contains("Starting session:", StringComparison.Ordinal),
                ClientTimeout,
                cts.Token),
            host.Describe());
        var pid = host.ProcessId;
        var children = ProcessSignals.Descendants(pid);

        await host.DisposeAsync();
        var result = await session;

        Assert.False(ProcessSignals.IsAlive(pid));
        Assert.All(children, child => Assert.False(ProcessSignals.IsAlive(child)));
        Assert.False(result.TimedOut, result.ToString());
        Assert.NotEqual(0, result.ExitCode);
    }
}
