using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Health.Probes;

namespace DesktopOperator.Gateway.Tests.Health;

public sealed class ProbeTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Tcp_Listening_Success()
    {
        await using var server = new LoopbackServer(LoopbackServer.Silent);

        Assert.Equal(ProbeOutcome.Success, (await ProbeAssert.RunAsync(new TcpConnectProbe(), server.Port)).Outcome);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("vnc")]
    [InlineData("ssh")]
    [InlineData("rdp")]
    [InlineData("http")]
    public async Task AnyProbe_ClosedPort_ConnectFailed(string kind)
    {
        var result = await ProbeAssert.RunAsync(Probe(kind), ProbeAssert.ClosedPort());

        Assert.Equal(ProbeOutcome.ConnectFailed, result.Outcome);
        Assert.Equal("connect_failed", result.Label);
    }

    [Fact]
    public void ConnectError_GatewayOutOfDescriptors_IsNotRunNotAVerdictOnTheHost()
    {
        // socket(2) at EMFILE/ENFILE: .NET reports TooManyOpenSockets before anything reached the host.
        var result = ConnectingProbe.ConnectError(new SocketException((int)SocketError.TooManyOpenSockets));

        Assert.Equal((ProbeOutcome.NotRun, "not_run", false), (result.Outcome, result.Label, result.IsVerdict));
        Assert.True(ConnectingProbe.ConnectError(new SocketException((int)SocketError.ConnectionRefused)).IsVerdict);
    }

    [Theory]
    [InlineData("vnc")]
    [InlineData("ssh")]
    [InlineData("rdp")]
    [InlineData("http")]
    public async Task AnyProbe_ServerSaysNothing_TimeoutWithinBound(string kind)
    {
        await using var server = new LoopbackServer(LoopbackServer.Silent);

        var result = await ProbeAssert.RunAsync(Probe(kind), server.Port, ShortTimeout);

        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
    }

    [Theory]
    [InlineData("vnc")]
    [InlineData("ssh")]
    [InlineData("rdp")]
    [InlineData("http")]
    public async Task AnyProbe_ServerClosesAtOnce_Closed(string kind)
    {
        await using var server = new LoopbackServer(LoopbackServer.ClosesAtOnce);

        Assert.Equal(ProbeOutcome.Closed, (await ProbeAssert.RunAsync(Probe(kind), server.Port)).Outcome);
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")]
    [InlineData("SSH-2.0-dropbear\n")]
    [InlineData("SSH-1.99-Cisco-1.25\r\n")]
    [InlineData("Welcome, unauthorised access prohibited\r\nSecond line\r\nSSH-2.0-x\r\n")]
    public async Task Ssh_Identification_Success(string banner)
    {
        await using var server = new LoopbackServer(LoopbackServer.Sends(Encoding.ASCII.GetBytes(banner)));

        Assert.Equal(ProbeOutcome.Success, (await ProbeAssert.RunAsync(new SshBannerProbe(), server.Port)).Outcome);
    }

    [Theory]
    [InlineData("SSH-1.5-old\r\n")]
    [InlineData("RFB 003.008\nmore\n")]
    public async Task Ssh_NotSsh2_Invalid(string banner)
    {
        await using var server = new LoopbackServer(LoopbackServer.Sends(Encoding.ASCII.GetBytes(banner)));

        var result = await ProbeAssert.RunAsync(new SshBannerProbe(), server.Port, ShortTimeout);

        Assert.Equal(banner.StartsWith("SSH") ? ProbeOutcome.Invalid : ProbeOutcome.Timeout, result.Outcome);
    }

    [Fact]
    public async Task Ssh_EndlessPreamble_InvalidAfterBoundedRead()
    {
        var preamble = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("not ssh yet\r\n", 200)));
        await using var server = new LoopbackServer(LoopbackServer.Sends(preamble));

        var result = await ProbeAssert.RunAsync(new SshBannerProbe(), server.Port);

        Assert.Equal(ProbeOutcome.Invalid, result.Outcome);
    }

    [Fact]
    public async Task Rdp_ConnectionConfirm_SuccessAndRequestWellFormed()
    {
        byte[]? request = null;
        await using var server = new LoopbackServer(async (socket, token) =>
        {
            request = await ReadTpktAsync(socket, token);
            await socket.SendAsync(ConnectionConfirm(), SocketFlags.None, token);
            await LoopbackServer.DrainUntilClosedAsync(socket, token);
        });

        var result = await ProbeAssert.RunAsync(new RdpX224Probe(), server.Port);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        Assert.NotNull(request);
        Assert.Equal(3, request[0]);
        Assert.Equal(request.Length, BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(2)));
        Assert.Equal(request.Length - 5, request[4]);
        Assert.Equal(0xE0, request[5]);
    }

    [Fact]
    public async Task Rdp_ConfirmSplitAcrossWrites_Success()
    {
        await using var server = new LoopbackServer(async (socket, token) =>
        {
            await ReadTpktAsync(socket, token);
            var confirm = ConnectionConfirm();
            await socket.SendAsync(confirm.AsMemory(0, 3), SocketFlags.None, token);
            await socket.SendAsync(confirm.AsMemory(3), SocketFlags.None, token);
            await LoopbackServer.DrainUntilClosedAsync(socket, token);
        });

        Assert.Equal(ProbeOutcome.Success, (await ProbeAssert.RunAsync(new RdpX224Probe(), server.Port)).Outcome);
    }

    [Fact]
    public async Task Rdp_DataTpduInsteadOfConfirm_Invalid()
    {
        await using var server = new LoopbackServer(async (socket, token) =>
        {
            await ReadTpktAsync(socket, token);
            await socket.SendAsync(new byte[] { 0x03, 0x00, 0x00, 0x07, 0x02, 0xF0, 0x80 }, SocketFlags.None, token);
            await LoopbackServer.DrainUntilClosedAsync(socket, token);
        });

        Assert.Equal(ProbeOutcome.Invalid, (await ProbeAssert.RunAsync(new RdpX224Probe(), server.Port)).Outcome);
    }

    [Fact]
    public async Task Rdp_NotTpkt_Invalid()
    {
        await using var server = new LoopbackServer(LoopbackServer.Sends("SSH-2.0-x\r\n"u8.ToArray()));

        Assert.Equal(ProbeOutcome.Invalid, (await ProbeAssert.RunAsync(new RdpX224Probe(), server.Port)).Outcome);
    }

    private static IHealthProbe Probe(string kind) => kind switch
    {
        "tcp" => new TcpConnectProbe(),
        "vnc" => new VncBannerProbe(VncCheckSecurity.None),
        "ssh" => new SshBannerProbe(),
        "rdp" => new RdpX224Probe(),
        _ => new HttpGetProbe("/"),
    };

    /// <summary>An X.224 Connection Confirm with an RDP Negotiation Response selecting TLS.</summary>
    private static byte[] ConnectionConfirm() =>
        [0x03, 0x00, 0x00, 0x13, 0x0E, 0xD0, 0x00, 0x00, 0x12, 0x34, 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00];

    private static async Task<byte[]> ReadTpktAsync(Socket socket, CancellationToken token)
    {
        var header = new byte[4];
        await ReadExactlyAsync(socket, header, token);
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)) - 4];
        await ReadExactlyAsync(socket, body, token);
        return [.. header, .. body];
    }

    private static async Task ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken token)
    {
        while (buffer.Length > 0)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
            if (read == 0)
            {
                throw new IOException("peer closed");
            }

            buffer = buffer[read..];
        }
    }
}
