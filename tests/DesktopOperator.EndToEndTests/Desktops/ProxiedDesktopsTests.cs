using System.Net;
using System.Net.Sockets;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Desktops.Clients;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Proxies;
using DesktopOperator.Testing.Waiting;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.EndToEndTests.Desktops;

/// <summary>
/// Real clients reach real desktop hosts through a proxy under test: our gateway (standalone mode) and HAProxy as the
/// reference, the same test for both. Our gateway keeps a route per user or client address (a returning client goes
/// back to its host), so "clients spread" means different clients: each one binds its own loopback source address.
/// </summary>
public sealed class ProxiedDesktopsTests
{
    /// <summary>A pool's default <c>clientLockout.maxFailures</c>.</summary>
    private const int DefaultLockoutMaxFailures = 3;

    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long the password-Xvnc test lets the gateway's checks run before the clients come (bounded).</summary>
    private static readonly TimeSpan CheckSoak = TimeSpan.FromSeconds(30);

    private static IProxyUnderTest ProxyUnderTest(string name) => ProxyCatalog.Create(name);

    /// <summary>A client's own source address: 127.0.0.<paramref name="n"/> (150 and up, away from the hosts' addresses).</summary>
    private static IPAddress Client(int n) => LoopbackPorts.Address(150 + n);

    [ToolTheory("Xvnc", "haproxy", "setsid")]
    [InlineData("gateway")]
    [InlineData("haproxy")]
    public async Task Vnc_TwoHostsRoundRobin_ClientsSeeBothDesktops(string proxyName)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var a = await XvncHost.StartAsync(new XvncHostOptions("vnc-a", LoopbackPorts.Address(31)), cts.Token);
        await using var b = await XvncHost.StartAsync(new XvncHostOptions("vnc-b", LoopbackPorts.Address(32), a.Endpoint.Port), cts.Token);
        await using var proxy = await ProxyUnderTest(proxyName).StartAsync(Setup(ProxyBalancing.RoundRobin, "Vnc", ("vnc-a", a.Endpoint), ("vnc-b", b.Endpoint)), cts.Token);

        var names = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            names.Add((await RfbClient.ReadServerInitAsync(proxy.EndPoint, ClientTimeout, cts.Token, Client(i), XvncHostOptions.DefaultPassword)).DesktopName);
        }

        Assert.Equal(["vnc-a", "vnc-b"], names.Distinct().Order());
    }

    /// <summary>
    /// Xvnc in its default configuration (VncAuth) behind the gateway, whose VNC check logs in every 200 ms for
    /// <see cref="CheckSoak"/>: then a real client with the password gets the desktop, and a client that fails its
    /// password 10 times does not stop a second client (another source address) from getting in.
    /// </summary>
    [ToolFact("Xvnc", "vncpasswd", "vncsnapshot", "setsid")]
    public async Task Vnc_PasswordXvnc_ChecksEvery200ms_RealClientServedAndWrongPasswordsLockOutOnlyTheirClient()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var host = await XvncHost.StartAsync(new XvncHostOptions("vnc-pw", LoopbackPorts.Address(37)), cts.Token);
        var setup = Setup(ProxyBalancing.RoundRobin, "Vnc", ("vnc-pw", host.Endpoint)) with
        {
            VncPasswordFile = host.PasswordFile,
            CheckInterval = TimeSpan.FromMilliseconds(200),
        };
        await using var proxy = await ProxyUnderTest("gateway").StartAsync(setup, cts.Token);

        // A fixed stretch of checks (about 150 logins), not a wait for a result: the server must not mind them.
        await Task.Delay(CheckSoak, cts.Token);
        var snapshot = await VncSnapshotClient.CaptureAsync(proxy.EndPoint, Path.Combine(host.LogDirectory, "frame.jpg"), ClientTimeout, cts.Token, host.PasswordFile);
        Assert.True(snapshot.Succeeded, snapshot.Process + "\n" + host.Describe());
        Assert.Equal("vnc-pw", snapshot.DesktopName);

        for (var i = 0; i < 10; i++)
        {
            // Wrong passwords, answered by the server's own SecurityResult and reason, in order (a hang or a garbled
            // reason would mean the gateway's relay mixed them up); then, locked out by the gateway, closed at once.
            var failed = await Assert.ThrowsAnyAsync<Exception>(() => RfbClient.ReadServerInitAsync(proxy.EndPoint, ClientTimeout, cts.Token, Client(40), "wrong-pw"));
            var expected = i < DefaultLockoutMaxFailures
                ? failed is InvalidDataException && failed.Message.StartsWith("security handshake failed", StringComparison.Ordinal)
                : failed is EndOfStreamException or SocketException;
            Assert.True(expected, $"attempt {i + 1}: {failed}");
        }

        var second = await RfbClient.ReadServerInitAsync(proxy.EndPoint, ClientTimeout, cts.Token, Client(41), XvncHostOptions.DefaultPassword);
        Assert.Equal("vnc-pw", second.DesktopName);
        var again = await VncSnapshotClient.CaptureAsync(proxy.EndPoint, Path.Combine(host.LogDirectory, "frame2.jpg"), ClientTimeout, cts.Token, host.PasswordFile);
        Assert.True(again.Succeeded, again.Process + "\n" + host.Describe());
    }

    [ToolTheory("Xvnc", "haproxy", "setsid")]
    [InlineData("gateway")]
    [InlineData("haproxy")]
    public async Task Vnc_SourceHash_SameSourceAddressStaysOnItsHost(string proxyName)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var a = await XvncHost.StartAsync(new XvncHostOptions("vnc-c", LoopbackPorts.Address(33)), cts.Token);
        await using var b = await XvncHost.StartAsync(new XvncHostOptions("vnc-d", LoopbackPorts.Address(34), a.Endpoint.Port), cts.Token);
        await using var proxy = await ProxyUnderTest(proxyName).StartAsync(Setup(ProxyBalancing.SourceHash, "Vnc", ("vnc-c", a.Endpoint), ("vnc-d", b.Endpoint)), cts.Token);

        // Eight sources: one host each, and together both hosts (a proxy that sends every source to one host would
        // pass the first assertion alone). The hashes are fixed, so the spread is the same on every run; with two
        // hosts, eight sources all on one host would be a 1 in 128 accident of the hash, not of the run.
        var hostOf = new Dictionary<IPAddress, string>();
        foreach (var source in Enumerable.Range(121, 8).Select(LoopbackPorts.Address))
        {
            var names = new HashSet<string>();
            for (var i = 0; i < 3; i++)
            {
                names.Add((await RfbClient.ReadServerInitAsync(proxy.EndPoint, ClientTimeout, cts.Token, source, XvncHostOptions.DefaultPassword)).DesktopName);
            }

            hostOf[source] = Assert.Single(names);
        }

        Assert.Equal(["vnc-c", "vnc-d"], hostOf.Values.Distinct().Order());
    }

    [ToolTheory("Xvnc", "haproxy", "setsid")]
    [InlineData("gateway")]
    [InlineData("haproxy")]
    public async Task Vnc_HostKilled_NewClientsAllReachTheOtherAndLiveSessionContinues(string proxyName)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var a = await XvncHost.StartAsync(new XvncHostOptions("vnc-e", LoopbackPorts.Address(35)), cts.Token);
        await using var b = await XvncHost.StartAsync(new XvncHostOptions("vnc-f", LoopbackPorts.Address(36), a.Endpoint.Port), cts.Token);
        await using var proxy = await ProxyUnderTest(proxyName).StartAsync(Setup(ProxyBalancing.RoundRobin, "Vnc", ("vnc-e", a.Endpoint), ("vnc-f", b.Endpoint)), cts.Token);
        RfbConnection? live = null;
        try
        {
            for (var n = 0; live?.ServerInit.DesktopName != "vnc-f"; n++)
            {
                if (live is not null)
                {
                    await live.DisposeAsync();
                }

                Assert.True(n < 10, "no client landed on vnc-f");
                live = await RfbClient.ConnectAsync(proxy.EndPoint, ClientTimeout, cts.Token, Client(n), XvncHostOptions.DefaultPassword);
            }

            await a.KillAsync();
            var names = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                names.Add((await RfbClient.ReadServerInitAsync(proxy.EndPoint, ClientTimeout, cts.Token, Client(20 + i), XvncHostOptions.DefaultPassword)).DesktopName);
            }

            await live.RequestFrameAsync(cts.Token);
            Assert.All(names, name => Assert.Equal("vnc-f", name));
        }
        finally
        {
            if (live is not null)
            {
                await live.DisposeAsync();
            }
        }
    }

    [ToolTheory("sshd", "ssh", "ssh-keygen", "haproxy", "setsid")]
    [InlineData("gateway")]
    [InlineData("haproxy")]
    public async Task Ssh_TwoHostsBehindProxy_RealClientLogsInAndSeesWhichHost(string proxyName)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var a = await SshdHost.StartAsync(new SshdHostOptions("ssh-a", LoopbackPorts.Address(37)), cts.Token);
        await using var b = await SshdHost.StartAsync(new SshdHostOptions("ssh-b", LoopbackPorts.Address(38), a.Endpoint.Port, a.ClientKey), cts.Token);
        await using var proxy = await ProxyUnderTest(proxyName).StartAsync(Setup(ProxyBalancing.RoundRobin, "Ssh", ("ssh-a", a.Endpoint), ("ssh-b", b.Endpoint)), cts.Token);

        var served = new List<string?>();
        for (var i = 0; i < 2; i++)
        {
            var result = await SshClient.RunAsync(proxy.EndPoint, a.ClientKey, SshdHost.User, "true", ClientTimeout, cts.Token, Client(i));
            Assert.True(result.Succeeded, result + "\n" + proxy.Describe());
            served.Add(SshClient.ServedBy(result));
        }

        Assert.True(served.Order().SequenceEqual(["ssh-a", "ssh-b"]), string.Join(", ", served) + "\n" + proxy.Describe());
    }

    [ToolTheory("sshd", "ssh", "ssh-keygen", "haproxy", "setsid")]
    [InlineData("gateway")]
    [InlineData("haproxy")]
    public async Task Ssh_HostKilledMidSession_NewLoginsReachSurvivorAndLiveSessionFinishes(string proxyName)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var a = await SshdHost.StartAsync(new SshdHostOptions("ssh-c", LoopbackPorts.Address(43)), cts.Token);
        await using var b = await SshdHost.StartAsync(new SshdHostOptions("ssh-d", LoopbackPorts.Address(44), a.Endpoint.Port, a.ClientKey), cts.Token);
        await using var proxy = await ProxyUnderTest(proxyName).StartAsync(Setup(ProxyBalancing.RoundRobin, "Ssh", ("ssh-c", a.Endpoint), ("ssh-d", b.Endpoint)), cts.Token);
        var folder = HostLogs.CreateDirectory("ssh-live");
        try
        {
            // A live session that reads one line, then ends cleanly; it must survive the other host's death.
            var (session, servedBy) = await SshClient.StartSessionAsync(
                proxy.EndPoint, a.ClientKey, SshdHost.User, "read line; echo got-$line", folder, ClientTimeout, cts.Token);
            await using (session)
            {
                var (victim, survivor) = servedBy == "ssh-c" ? (b, a) : (a, b);
                await victim.KillAsync();

                for (var i = 0; i < 4; i++)
                {
                    var result = await SshClient.RunAsync(proxy.EndPoint, a.ClientKey, SshdHost.User, "true", ClientTimeout, cts.Token, Client(10 + i));
                    Assert.True(result.Succeeded, result + "\n" + proxy.Describe());
                    Assert.Equal(survivor.HostName, SshClient.ServedBy(result));
                }

                await session.WriteLineAsync("still-here");
                Assert.True(await session.WaitForExitAsync(ClientTimeout, cts.Token), session.ReadOutput());
                Assert.Equal(0, session.ExitCode);
                Assert.Contains("got-still-here", session.ReadOutput(), StringComparison.Ordinal);
            }
        }
        finally
        {
            HostLogs.Remove(folder);
        }
    }

    [ToolTheory("xrdp", "Xvnc", "Xvfb", "xfreerdp", "haproxy", "setsid")]
    [InlineData("gateway")]
    [InlineData("haproxy")]
    public async Task Rdp_SameUserSameSource_LandsOnOneHostEveryTime(string proxyName)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var display = await XvfbDisplay.StartAsync(cts.Token);
        await using var a = await XrdpHost.StartAsync(new XrdpHostOptions("rdp-a", LoopbackPorts.Address(39)), cts.Token);
        await using var b = await XrdpHost.StartAsync(new XrdpHostOptions("rdp-b", LoopbackPorts.Address(40), a.Endpoint.Port), cts.Token);
        await using var proxy = await ProxyUnderTest(proxyName).StartAsync(Setup(ProxyBalancing.SourceHash, "Rdp", ("rdp-a", a.Endpoint), ("rdp-b", b.Endpoint)), cts.Token);

        for (var i = 0; i < 3; i++)
        {
            var result = await FreeRdpClient.AuthOnlyAsync(display, proxy.EndPoint, "carol", "pw", TimeSpan.FromSeconds(30), cts.Token);
            Assert.True(result.Succeeded, result.Process + "\n" + proxy.Describe());
        }

        Assert.True(
            await Testing.Waiting.Eventually.HoldsAsync(() => a.CountLogins("carol") + b.CountLogins("carol") == 3, ClientTimeout, cts.Token),
            a.Describe() + "\n" + b.Describe());
        Assert.Contains(3, new[] { a.CountLogins("carol"), b.CountLogins("carol") });
    }

    [ToolTheory("xrdp", "Xvnc", "Xvfb", "xfreerdp", "haproxy", "setsid")]
    [InlineData("gateway")]
    [InlineData("haproxy")]
    public async Task Rdp_UserAffinity_EachUserKeepsOneHostAndUsersSpread(string proxyName)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await using var display = await XvfbDisplay.StartAsync(cts.Token);
        await using var a = await XrdpHost.StartAsync(new XrdpHostOptions("rdp-c", LoopbackPorts.Address(41)), cts.Token);
        await using var b = await XrdpHost.StartAsync(new XrdpHostOptions("rdp-d", LoopbackPorts.Address(42), a.Endpoint.Port), cts.Token);
        await using var proxy = await ProxyUnderTest(proxyName).StartAsync(Setup(ProxyBalancing.RdpUser, "Rdp", ("rdp-c", a.Endpoint), ("rdp-d", b.Endpoint)), cts.Token);
        string[] users = ["ann", "ben", "cid", "dee"];

        foreach (var round in Enumerable.Range(0, 2))
        {
            foreach (var user in users)
            {
                var result = await FreeRdpClient.AuthOnlyAsync(display, proxy.EndPoint, user, "pw", TimeSpan.FromSeconds(30), cts.Token);
                Assert.True(result.Succeeded, $"{user}, round {round}: {result.Process}\n{proxy.Describe()}");
            }
        }

        Assert.True(
            await Testing.Waiting.Eventually.HoldsAsync(() => a.Logins().Count + b.Logins().Count == 2 * users.Length, ClientTimeout, cts.Token),
            a.Describe() + "\n" + b.Describe());
        Assert.All(users, user => Assert.Contains(2, new[] { a.CountLogins(user), b.CountLogins(user) }));
        Assert.NotEmpty(a.Logins());
        Assert.NotEmpty(b.Logins());
    }

    private static ProxySetup Setup(ProxyBalancing balancing, string kind, params (string Name, IPEndPoint EndPoint)[] hosts) =>
        new(IPAddress.Loopback, [.. hosts.Select(h => new ProxyBackend(h.Name, h.EndPoint))], balancing) { ProtocolKind = kind };
}
