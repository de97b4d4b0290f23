using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Desktops.Clients;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.EndToEndTests.Desktops;

public sealed class XvncHostTests
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(15);

    [ToolFact("Xvnc", "setsid")]
    public async Task StartAsync_TwoHostsOnOwnAddresses_EachAnnouncesItsDesktopName()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var a = await XvncHost.StartAsync(new XvncHostOptions("host-a", LoopbackPorts.Address(11)), cts.Token);
        await using var b = await XvncHost.StartAsync(new XvncHostOptions("host-b", LoopbackPorts.Address(12)), cts.Token);

        var fromA = await RfbClient.ReadServerInitAsync(a.Endpoint, ClientTimeout, cts.Token, password: a.Password);
        var fromB = await RfbClient.ReadServerInitAsync(b.Endpoint, ClientTimeout, cts.Token, password: b.Password);

        Assert.Equal("127.0.0.11", a.Endpoint.Address.ToString());
        Assert.Equal("127.0.0.12", b.Endpoint.Address.ToString());
        Assert.True(fromA.DesktopName == "host-a", a.Describe());
        Assert.True(fromB.DesktopName == "host-b", b.Describe());
        Assert.Equal((800, 600), (fromA.Width, fromA.Height));
        Assert.StartsWith("RFB 003.", fromA.ServerVersion, StringComparison.Ordinal);
    }

    [ToolFact("Xvnc", "setsid")]
    public async Task ConnectAsync_OpenSession_AnswersFrameRequests()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var host = await XvncHost.StartAsync(new XvncHostOptions("held", LoopbackPorts.Address(13)), cts.Token);

        await using var session = await RfbClient.ConnectAsync(host.Endpoint, ClientTimeout, cts.Token, source: LoopbackPorts.Address(113), password: host.Password);
        await session.RequestFrameAsync(cts.Token);
        await session.RequestFrameAsync(cts.Token);

        Assert.Equal("held", session.ServerInit.DesktopName);
        Assert.Equal("127.0.0.113", session.LocalEndPoint?.Address.ToString());
    }

    [ToolFact("Xvnc", "vncsnapshot", "setsid")]
    public async Task VncSnapshot_RealClient_ReadsDesktopNameAndSavesFrame()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var host = await XvncHost.StartAsync(new XvncHostOptions("snap-host", LoopbackPorts.Address(14)), cts.Token);
        var image = Path.Combine(host.LogDirectory, "frame.jpg");

        var result = await VncSnapshotClient.CaptureAsync(host.Endpoint, image, ClientTimeout, cts.Token, host.PasswordFile);

        Assert.True(result.Succeeded, result.Process + "\n" + host.Describe());
        Assert.Equal("snap-host", result.DesktopName);
    }

    /// <summary>The default host asks for the password it was given (VncAuth), and turns a wrong one away.</summary>
    [ToolFact("Xvnc", "vncpasswd", "setsid")]
    public async Task StartAsync_Default_RequiresItsPassword()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var host = await XvncHost.StartAsync(new XvncHostOptions("locked", LoopbackPorts.Address(16)), cts.Token);

        var noPassword = await Assert.ThrowsAsync<InvalidDataException>(() => RfbClient.ReadServerInitAsync(host.Endpoint, ClientTimeout, cts.Token));
        var wrong = await Assert.ThrowsAsync<InvalidDataException>(() => RfbClient.ReadServerInitAsync(host.Endpoint, ClientTimeout, cts.Token, password: "wrong-pw"));
        var right = await RfbClient.ReadServerInitAsync(host.Endpoint, ClientTimeout, cts.Token, password: XvncHostOptions.DefaultPassword);

        Assert.Contains("does not offer security type 1", noPassword.Message, StringComparison.Ordinal);
        Assert.Contains("security handshake failed", wrong.Message, StringComparison.Ordinal);
        Assert.Equal("locked", right.DesktopName);
        Assert.Equal(8, new FileInfo(host.PasswordFile!).Length);
    }

    [ToolFact("Xvnc", "setsid")]
    public async Task DisposeAsync_RunningHost_KillsProcessAndFreesDisplay()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var host = await XvncHost.StartAsync(new XvncHostOptions("short-lived", LoopbackPorts.Address(15)), cts.Token);
        var pid = host.ProcessId;

        await host.DisposeAsync();

        Assert.False(ProcessSignals.IsAlive(pid));
        Assert.False(await PortProbe.IsOpenAsync(host.Endpoint, cts.Token));
        Assert.True(XDisplayNumbers.IsFree(host.Display));
    }
}
