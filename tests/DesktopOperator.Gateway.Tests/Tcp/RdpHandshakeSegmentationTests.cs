using System.Globalization;
using System.Net.Sockets;
using System.Text;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tests.Health;
using Xunit.Abstractions;

namespace DesktopOperator.Gateway.Tests.Tcp;

/// <summary>
/// The RDP listener reads the Connection Request to route by its cookie, then hands over to the pump: however TCP
/// cuts the request (and bytes behind it), the user is read and the host gets every byte once, in order. Random cuts
/// are seeded; the seed is printed, and <c>RDP_SPLIT_SEED</c> replays one.
/// </summary>
public sealed class RdpHandshakeSegmentationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly int BaseSeed = int.TryParse(Environment.GetEnvironmentVariable("RDP_SPLIT_SEED"), CultureInfo.InvariantCulture, out var seed)
        ? seed
        : Random.Shared.Next();

    private readonly ITestOutputHelper _output;

    public RdpHandshakeSegmentationTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<Segmentation> Segmentations => [Segmentation.Whole, Segmentation.PerField, Segmentation.ByteByByte, Segmentation.Random];

    [Theory]
    [MemberData(nameof(Segmentations))]
    public async Task ConnectionRequestInAnyPieces_UserRouted_HostGetsEveryByteInOrder(Segmentation segmentation)
    {
        _output.WriteLine($"segmentation {segmentation}, seed {BaseSeed} (replay with RDP_SPLIT_SEED={BaseSeed})");
        var request = RdpConnectionRequestParserTests.BuildRequest("Cookie: mstshash=alice");
        var behind = "after the request"u8.ToArray();
        var seen = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = new TestBackend(async (socket, token) =>
        {
            var buffer = new byte[request.Length + behind.Length];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, token);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            seen.TrySetResult(buffer[..read]);
            await socket.SendAsync("confirm"u8.ToArray(), SocketFlags.None, token);
            await TestBackend.EchoAsync(socket, token);
        });
        await using var gateway = new TcpProxyHarness();
        gateway.Router.AddHost("h1", backend.Port);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Rdp, new TcpProxyOptions { HandshakeTimeout = Bound });

        using var client = await TcpProxyHarness.ConnectAsync(port);
        using var cts = new CancellationTokenSource(Bound);
        var writer = new SegmentedWriter(client, segmentation, BaseSeed);
        // Fields: TPKT header, X.224 fixed part, cookie line, negotiation request; then bytes behind the request.
        var cookieEnd = request.Length - 8;
        foreach (var (start, end) in new[] { (0, 4), (4, 11), (11, cookieEnd), (cookieEnd, request.Length) })
        {
            await writer.WriteAsync(request.AsMemory(start..end), cts.Token);
        }

        await writer.WriteAsync(behind, cts.Token);
        await writer.FlushAsync(cts.Token);
        var reply = new byte[7];
        var got = 0;
        while (got < reply.Length)
        {
            var n = await client.ReceiveAsync(reply.AsMemory(got), SocketFlags.None, cts.Token);
            Assert.True(n > 0, $"closed after {got} bytes (seed {BaseSeed})");
            got += n;
        }

        Assert.Equal(request.Concat(behind).ToArray(), await seen.Task.WaitAsync(Bound));
        Assert.Equal("confirm", Encoding.ASCII.GetString(reply));
        Assert.Equal("alice", Assert.Single(gateway.Router.Requests).User);
    }
}
