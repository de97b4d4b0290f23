using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Health.Probes;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Desktops.Clients;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.EndToEndTests.Health;

/// <summary>
/// Health checks come from the gateway's address, the same address every proxied user comes from: a server that
/// penalises a source for connections that end early would lock everyone out. These tests run many probes
/// against real servers, then a real client, which must still get in.
/// </summary>
public sealed class ProbeLockoutTests
{
    /// <summary>Well above TigerVNC's default BlacklistThreshold of 5.</summary>
    private const int Probes = 20;

    /// <summary>Enough to pass the threshold (the 6th early close is the last let through), not a flood.</summary>
    private const int BareConnects = 8;

    private const string TooManyFailures = "Too many security failures";
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The VNC protocol check with the pool's password logs in each time, which the server never counts.</summary>
    [ToolFact("Xvnc", "vncpasswd", "vncsnapshot", "setsid")]
    public async Task VncAuthProbe_ManyChecksAgainstPasswordXvnc_RealClientsStillServed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var host = await XvncHost.StartAsync(new XvncHostOptions("probed", LoopbackPorts.Address(41)), cts.Token);

        await RunProbesAsync(new VncBannerProbe(VncCheckSecurity.VncAuth, host.PasswordFile), host.Endpoint, Probes);

        await AssertServesAsync(host, cts.Token);
    }

    /// <summary>
    /// The default TCP check leaves the handshake half-open and resets it: Xvnc never accepts the connection, so it has
    /// nothing to count however many checks run back to back (a plain connect and reset races the server's accept,
    /// and an accepted one counts as a failed login). Xvnc logs every connection it accepts: after a hundred checks
    /// and two real clients it has logged exactly the two clients.
    /// </summary>
    [ToolFact("Xvnc", "vncpasswd", "vncsnapshot", "setsid")]
    public async Task TcpProbe_HundredChecksAgainstPasswordXvnc_ServerNeverAcceptsOne_RealClientsStillServed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var host = await XvncHost.StartAsync(new XvncHostOptions("tcp-checked", LoopbackPorts.Address(48)), cts.Token);

        await RunProbesAsync(new TcpConnectProbe(), host.Endpoint, 100);

        await AssertServesAsync(host, cts.Token);
        await Eventually.WaitAsync(() => AcceptedConnections(host) >= 2, () => "Xvnc logs the two clients it served: " + host.Describe());
        Assert.True(AcceptedConnections(host) == 2, host.Describe());
    }

    /// <summary>With security None declared (and the server run that way), the check completes None each time.</summary>
    [ToolFact("Xvnc", "vncsnapshot", "setsid")]
    public async Task NoneProbe_ManyChecksAgainstXvncWithoutPassword_RealClientsStillServed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        // Security None on purpose: this test is about a pool that declares its servers use none.
        await using var host = await XvncHost.StartAsync(new XvncHostOptions("open", LoopbackPorts.Address(46)) { Password = null }, cts.Token);

        await RunProbesAsync(new VncBannerProbe(VncCheckSecurity.None), host.Endpoint, Probes);

        await AssertServesAsync(host, cts.Token);
    }

    /// <summary>
    /// The server behaviour the checks avoid: connections that read the banner and close get the source
    /// blacklisted, and the next real client is refused. The VNC check then fails the host, so new users go elsewhere.
    /// </summary>
    [ToolFact("Xvnc", "vncpasswd", "vncsnapshot", "setsid")]
    public async Task BannerOnlyConnects_AgainstXvnc_NextClientRefusedAsTooManySecurityFailures()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var host = await XvncHost.StartAsync(new XvncHostOptions("blacklisting", LoopbackPorts.Address(42)), cts.Token);

        for (var i = 0; i < BareConnects; i++)
        {
            await ReadBannerAndCloseAsync(host.Endpoint, cts.Token);
        }

        await AssertRefusedAsync(host, cts.Token);
        var probe = await RunAsync(new VncBannerProbe(VncCheckSecurity.VncAuth, host.PasswordFile), host.Endpoint);
        Assert.Equal(ProbeOutcome.Invalid, probe.Outcome);
        Assert.Contains(TooManyFailures, probe.Detail, StringComparison.Ordinal);
    }

    /// <summary>Why the TCP check resets: a bare connect closed the ordinary way (FIN), reading nothing, counts too.</summary>
    [ToolFact("Xvnc", "vncpasswd", "vncsnapshot", "setsid")]
    public async Task ConnectsClosedWithFin_AgainstXvnc_NextClientRefusedAsTooManySecurityFailures()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var host = await XvncHost.StartAsync(new XvncHostOptions("fin-checked", LoopbackPorts.Address(47)), cts.Token);

        for (var i = 0; i < BareConnects; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(host.Endpoint, cts.Token);
            socket.Shutdown(SocketShutdown.Both);
        }

        await AssertRefusedAsync(host, cts.Token);
    }

    /// <summary>Connections Xvnc took from its accept queue ("Connections: accepted: ADDRESS" in its log).</summary>
    private static int AcceptedConnections(XvncHost host) =>
        Directory.EnumerateFiles(host.LogDirectory).Sum(file => File.ReadAllText(file).Split("Connections: accepted").Length - 1);

    private static async Task AssertServesAsync(XvncHost host, CancellationToken cancellationToken)
    {
        var snapshot = await VncSnapshotClient.CaptureAsync(host.Endpoint, Path.Combine(host.LogDirectory, "frame.jpg"), ClientTimeout, cancellationToken, host.PasswordFile);
        Assert.True(snapshot.Succeeded, snapshot.Process + "\n" + host.Describe());
        Assert.Equal(host.DesktopName, snapshot.DesktopName);
        var init = await RfbClient.ReadServerInitAsync(host.Endpoint, ClientTimeout, cancellationToken, password: host.Password);
        Assert.Equal(host.DesktopName, init.DesktopName);
    }

    /// <summary>Within the blacklist's first timeout (10 s by default), so the refusal is still in force.</summary>
    private static async Task AssertRefusedAsync(XvncHost host, CancellationToken cancellationToken)
    {
        var snapshot = await VncSnapshotClient.CaptureAsync(host.Endpoint, Path.Combine(host.LogDirectory, "frame.jpg"), ClientTimeout, cancellationToken, host.PasswordFile);
        Assert.False(snapshot.Succeeded, snapshot.Process.ToString());
        Assert.Contains(TooManyFailures, snapshot.Process.Stdout + snapshot.Process.Stderr, StringComparison.Ordinal);
    }

    [ToolFact("sshd", "ssh", "ssh-keygen", "setsid")]
    public async Task SshProbe_ManyChecksAgainstSshd_RealClientStillServed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var keyFolder = HostLogs.CreateDirectory("ssh-probe-client");
        try
        {
            var key = await SshClientKey.CreateAsync(keyFolder, cts.Token);
            await using var host = await SshdHost.StartAsync(new SshdHostOptions("ssh-probed", LoopbackPorts.Address(43), ClientKey: key), cts.Token);

            await RunProbesAsync(new SshBannerProbe(), host.Endpoint, Probes);

            var result = await SshClient.RunAsync(host.Endpoint, key, SshdHost.User, "echo in", ClientTimeout, cts.Token);
            Assert.True(result.Succeeded, result + "\n" + host.Describe());
            Assert.Equal("ssh-probed", SshClient.ServedBy(result));
        }
        finally
        {
            HostLogs.Remove(keyFolder);
        }
    }

    [ToolFact("xrdp", "Xvnc", "Xvfb", "xfreerdp", "setsid")]
    public async Task RdpProbe_ManyChecksAgainstXrdp_RealClientStillServed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var display = await XvfbDisplay.StartAsync(cts.Token);
        await using var host = await XrdpHost.StartAsync(new XrdpHostOptions("rdp-probed", LoopbackPorts.Address(44)), cts.Token);

        await RunProbesAsync(new RdpX224Probe(), host.Endpoint, Probes);
        // xrdp 0.9.21 keeps no per-source count at all (its MaxLoginRetry is per connection): plain resets are harmless too.
        await RunProbesAsync(new TcpConnectProbe(), host.Endpoint, Probes);

        var result = await FreeRdpClient.AuthOnlyAsync(display, host.Endpoint, "alice", "secret", TimeSpan.FromSeconds(30), cts.Token);
        Assert.True(result.Succeeded, result.Process + "\n" + host.Describe());
    }

    private static async Task RunProbesAsync(IHealthProbe probe, IPEndPoint endpoint, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var result = await RunAsync(probe, endpoint);
            Assert.True(result.IsSuccess, $"{probe.Name} probe {i + 1} of {count}: {result}");
        }
    }

    private static Task<ProbeResult> RunAsync(IHealthProbe probe, IPEndPoint endpoint) =>
        HealthProbeRunner.RunAsync(probe, endpoint.Address.ToString(), endpoint.Port, TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None);

    /// <summary>What a banner-only check does: connect, read the 12-byte ProtocolVersion, close.</summary>
    private static async Task ReadBannerAndCloseAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint, cancellationToken);
        var banner = new byte[12];
        var filled = 0;
        while (filled < banner.Length)
        {
            var read = await socket.ReceiveAsync(banner.AsMemory(filled), SocketFlags.None, cancellationToken);
            Assert.True(read > 0, $"Xvnc closed after {filled} bytes");
            filled += read;
        }
    }
}
