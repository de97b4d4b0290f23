using DesktopOperator.Testing.Waiting;
using System.Net;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Desktops.Clients;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.EndToEndTests.Desktops;

/// <summary>
/// RDP past the handshake, through our gateway: a real local account logs into a real xrdp + xrdp-sesman desktop
/// with xfreerdp (a full session, not +auth-only), disconnects, reconnects and is given the same desktop.
/// </summary>
public sealed class RdpSessionTests
{
    private static readonly TimeSpan SessionWait = TimeSpan.FromSeconds(40);

    [RootToolFact("xrdp", "xrdp-sesman", "Xvnc", "Xvfb", "xfreerdp", "useradd", "userdel", "chpasswd", "setsid")]
    public async Task Rdp_RealUserThroughGateway_GetsDesktop_ReconnectLandsInSameSession()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await using var display = await XvfbDisplay.StartAsync(cts.Token);
        await using var account = await LocalAccount.CreateAsync(cts.Token);
        await using var host = await XrdpSessionHost.StartAsync(new XrdpHostOptions("rdp-s", LoopbackPorts.Address(43)), cts.Token);
        var setup = new ProxySetup(IPAddress.Loopback, [new ProxyBackend("rdp-s", host.Endpoint)], ProxyBalancing.RoundRobin) { ProtocolKind = "Rdp" };
        await using var proxy = await ProxyCatalog.Create("gateway").StartAsync(setup, cts.Token);
        string Why() => host.Describe() + "\n" + proxy.Describe();

        // First login: sesman starts an Xvnc desktop owned by the user, and xrdp joins it for the client.
        int session;
        await using (var first = FreeRdpClient.StartSession(display, proxy.EndPoint, account.Name, account.Password, host.Directory))
        {
            Assert.True(
                await Eventually.HoldsAsync(() => XrdpSessionHost.SessionServers(account).Count == 1 && host.CountDesktopsJoined() == 1, SessionWait, cts.Token),
                "no desktop for the user: " + first.ReadOutput() + "\n" + Why());
            session = XrdpSessionHost.SessionServers(account)[0];
            Assert.False(first.HasExited, "xfreerdp left the session: " + first.ReadOutput());
        }

        // Disconnected (the client is killed): the desktop stays for the user.
        Assert.True(ProcessSignals.IsAlive(session), "the session ended on disconnect\n" + Why());
        var displayNumber = XrdpSessionHost.DisplayOf(session);
        Assert.NotNull(displayNumber);

        // Back through the gateway: sesman hands the same session back, and xrdp joins the same Xvnc again.
        await using (var second = FreeRdpClient.StartSession(display, proxy.EndPoint, account.Name, account.Password, host.Directory))
        {
            Assert.True(
                await Eventually.HoldsAsync(() => host.CountReconnections(account.Name) == 1 && host.CountDesktopsJoined() == 2, SessionWait, cts.Token),
                "no reconnection: " + second.ReadOutput() + "\n" + Why());
            Assert.Equal([session], XrdpSessionHost.SessionServers(account));
            Assert.Equal(displayNumber, XrdpSessionHost.DisplayOf(session));
            Assert.False(second.HasExited, "xfreerdp left the session: " + second.ReadOutput());
        }
    }
}
