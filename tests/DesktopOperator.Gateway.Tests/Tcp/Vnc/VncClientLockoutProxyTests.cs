using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Vnc;
using DesktopOperator.Gateway.Tests.Health;
using DesktopOperator.Testing.Desktops.Clients;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Time;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tests.Tcp.Vnc;

/// <summary>
/// The VNC listener's client lockout through the real proxy path (Kestrel transport, handler, relay) in front of a
/// fake RFB server with VNC Authentication: one client's failed logins lock that client out, never another.
/// </summary>
public sealed class VncClientLockoutProxyTests
{
    private const string Right = "right-pw";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly VncClientLockoutSettings Lockout = new(3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

    [Fact]
    public async Task WrongPasswords_ClientLockedOutAtConnect_OtherClientServedAndCounted()
    {
        var rfb = new FakeRfbServer { SecurityTypes = [19, 2], Password = Right, DesktopName = "fake" };
        await using var setup = await VncLockoutGateway.StartAsync(rfb, Lockout);

        for (var i = 0; i < 3; i++)
        {
            var failed = await Assert.ThrowsAsync<InvalidDataException>(() => setup.LoginAsync(Client(1), "wrong-pw"));
            Assert.Contains("Authentication failure", failed.Message, StringComparison.Ordinal);
        }

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => setup.LoginAsync(Client(1), Right));
        var other = await setup.LoginAsync(Client(2), Right);

        Assert.True(refused is EndOfStreamException or SocketException, refused.ToString());
        Assert.Equal("fake", other.DesktopName);
        Assert.Equal(4, setup.Backend.Connections); // the refused attempt never reached the server
        Assert.Equal([1u, 1u, 1u, 0u], rfb.Results);
        await TcpProxyHarness.WaitUntilAsync(() => setup.Gateway.Sum("gateway_connections", ("result", "client_locked_out")) == 1, Bound, "the lockout result");
        Assert.Equal(3, setup.Gateway.Sum("gateway_vnc_login_failures", ("reason", "rejected")));
        Assert.Equal(1, setup.Gateway.Sum("gateway_client_lockouts"));
        var line = Assert.Single(setup.Logger.Entries, e => e.Id.Id == 3651);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("127.0.0.201", line.Message, StringComparison.Ordinal);
        Assert.Contains("3 failed VNC logins", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LockedOutClient_AfterBackoff_ServedAgain()
    {
        var rfb = new FakeRfbServer { SecurityTypes = [2], Password = Right, DesktopName = "fake" };
        await using var setup = await VncLockoutGateway.StartAsync(rfb, Lockout);
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<InvalidDataException>(() => setup.LoginAsync(Client(3), "wrong-pw"));
        }

        await Assert.ThrowsAnyAsync<Exception>(() => setup.LoginAsync(Client(3), Right));
        setup.Time.Advance(Lockout.Backoff + TimeSpan.FromSeconds(1));

        Assert.Equal("fake", (await setup.LoginAsync(Client(3), Right)).DesktopName);
    }

    [Fact]
    public async Task SuccessBetweenFailures_CountStartsOver_NeverLockedOut()
    {
        var rfb = new FakeRfbServer { SecurityTypes = [2], Password = Right, DesktopName = "fake" };
        await using var setup = await VncLockoutGateway.StartAsync(rfb, Lockout);

        foreach (var password in new[] { "wrong-pw", "wrong-pw", Right, "wrong-pw", "wrong-pw", Right })
        {
            if (password == Right)
            {
                await setup.LoginAsync(Client(4), password);
            }
            else
            {
                await Assert.ThrowsAsync<InvalidDataException>(() => setup.LoginAsync(Client(4), password));
            }
        }

        Assert.Equal(0, setup.Gateway.Sum("gateway_client_lockouts"));
        Assert.Equal([1u, 1u, 0u, 1u, 1u, 0u], rfb.Results);
    }

    /// <summary>A client that hangs up before the SecurityResult counts: the server counts it as a failed login too.</summary>
    [Fact]
    public async Task ClientsHangingUpAfterTheBanner_CountAsFailures_LockedOut()
    {
        var rfb = new FakeRfbServer { SecurityTypes = [2], Password = Right };
        await using var setup = await VncLockoutGateway.StartAsync(rfb, Lockout);

        for (var i = 0; i < 3; i++)
        {
            using var socket = await setup.ConnectAsync(Client(5));
            Assert.Equal("RFB 003.008\n"u8.ToArray(), await ReadAsync(socket, 12));
        }

        await TcpProxyHarness.WaitUntilAsync(() => setup.Gateway.Sum("gateway_client_lockouts") == 1, Bound, "the lockout");
        Assert.Equal(3, setup.Gateway.Sum("gateway_vnc_login_failures", ("reason", "abandoned")));
    }

    /// <summary>VeNCrypt and other types carry their result encrypted: the gateway cannot tell, and counts nothing.</summary>
    [Fact]
    public async Task EncryptedSecurityType_NotInspected_NeverCounted()
    {
        var rfb = new FakeRfbServer { SecurityTypes = [19, 2], Password = Right };
        await using var setup = await VncLockoutGateway.StartAsync(rfb, Lockout, closeWhenDone: true);

        for (var i = 0; i < 5; i++)
        {
            using var socket = await setup.ConnectAsync(Client(6));
            await ReadAsync(socket, 12);
            await socket.SendAsync("RFB 003.008\n"u8.ToArray(), SocketFlags.None);
            Assert.Equal(new byte[] { 2, 19, 2 }, await ReadAsync(socket, 3));
            await socket.SendAsync(new byte[] { 19 }, SocketFlags.None);
        }

        await TcpProxyHarness.WaitUntilAsync(() => setup.Gateway.Sum("gateway_connections") == 5, Bound, "five connections ended");
        Assert.Equal(0, setup.Gateway.Sum("gateway_vnc_login_failures"));
        Assert.Equal(0, setup.Gateway.Sum("gateway_client_lockouts"));
    }

    private static IPAddress Client(int n) => LoopbackPorts.Address(200 + n);

    private static async Task<byte[]> ReadAsync(Socket socket, int count)
    {
        using var cts = new CancellationTokenSource(Bound);
        var buffer = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cts.Token);
            Assert.True(read > 0, $"closed after {filled} of {count} bytes");
            filled += read;
        }

        return buffer;
    }
}
