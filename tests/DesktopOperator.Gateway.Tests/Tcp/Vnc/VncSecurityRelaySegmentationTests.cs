using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using DesktopOperator.Gateway.Tcp.Vnc;
using DesktopOperator.Gateway.Tests.Health;
using DesktopOperator.Testing.Desktops.Clients;
using Xunit.Abstractions;

namespace DesktopOperator.Gateway.Tests.Tcp.Vnc;

/// <summary>
/// The VNC security relay must not depend on how TCP cuts the handshake: both the fake server and the scripted client
/// write whole turns, one field per send, one byte per send, or random cuts (seeded; the seed is printed, and
/// <c>RFB_SPLIT_SEED</c> replays one), and the client must see exactly the server's bytes, in order, every time.
/// </summary>
public sealed class VncSecurityRelaySegmentationTests
{
    private const string Right = "right-pw";
    private const string Reason = "Authentication failure";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly VncClientLockoutSettings Lockout = new(3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    private static readonly int BaseSeed = int.TryParse(Environment.GetEnvironmentVariable("RFB_SPLIT_SEED"), CultureInfo.InvariantCulture, out var seed)
        ? seed
        : Random.Shared.Next();

    private readonly ITestOutputHelper _output;

    public VncSecurityRelaySegmentationTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<Segmentation> Segmentations => [Segmentation.Whole, Segmentation.PerField, Segmentation.ByteByByte, Segmentation.Random];

    public static TheoryData<Segmentation, int> HangUps
    {
        get
        {
            var data = new TheoryData<Segmentation, int>();
            foreach (var segmentation in Enum.GetValues<Segmentation>())
            {
                // Mid-banner, mid security types, mid challenge, mid SecurityResult (3.8: 12 + 1 + 1 + 16 + 4).
                foreach (var after in new[] { 5, 13, 21, 32 })
                {
                    data.Add(segmentation, after);
                }
            }

            return data;
        }
    }

    public static TheoryData<Segmentation, int> ClientHangUps
    {
        get
        {
            var data = new TheoryData<Segmentation, int>();
            foreach (var segmentation in Enum.GetValues<Segmentation>())
            {
                // Mid-version, before the choice, mid-response (3.8: 12 + 1 + 16).
                foreach (var after in new[] { 5, 12, 20 })
                {
                    data.Add(segmentation, after);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Segmentations))]
    public async Task Rfb38_RightPassword_ServerInitArrives_NothingCounted(Segmentation segmentation)
    {
        var seed = Seed(segmentation);
        var rfb = Server("RFB 003.008\n", segmentation, seed);
        await using var gateway = await VncLockoutGateway.StartAsync(rfb, Lockout, closeWhenDone: true);

        var end = await HandshakeAsync(gateway, segmentation, seed, Right);

        Assert.True(end.Result == 0, Describe(end, seed));
        Assert.Equal("fake", end.DesktopName);
        await AssertConnectionCountedAsync(gateway);
        Assert.Equal(0, gateway.Gateway.Sum("gateway_vnc_login_failures"));
        Assert.Equal([0u], rfb.Results);
    }

    [Theory]
    [MemberData(nameof(Segmentations))]
    public async Task Rfb38_WrongPassword_ResultThenReasonInOrder_CountedAsRejected(Segmentation segmentation)
    {
        var seed = Seed(segmentation);
        var rfb = Server("RFB 003.008\n", segmentation, seed);
        await using var gateway = await VncLockoutGateway.StartAsync(rfb, Lockout, closeWhenDone: true);

        var end = await HandshakeAsync(gateway, segmentation, seed, "wrong-pw");

        Assert.True(end.Result == 1, Describe(end, seed));
        Assert.Equal(Reason, end.Reason);
        await AssertConnectionCountedAsync(gateway);
        Assert.Equal(1, gateway.Gateway.Sum("gateway_vnc_login_failures", ("reason", "rejected")));
    }

    [Theory]
    [MemberData(nameof(Segmentations))]
    public async Task Rfb33_ServerChosenVncAuth_BothOutcomesSeenAndCounted(Segmentation segmentation)
    {
        var seed = Seed(segmentation);
        var rfb = Server("RFB 003.003\n", segmentation, seed);
        await using var gateway = await VncLockoutGateway.StartAsync(rfb, Lockout, closeWhenDone: true);

        var wrong = await HandshakeAsync(gateway, segmentation, seed, "wrong-pw");
        var right = await HandshakeAsync(gateway, segmentation, seed + 1, Right);

        Assert.True(wrong.Result == 1, Describe(wrong, seed));
        Assert.Null(wrong.Reason); // 3.3 sends no reason
        Assert.True(right.Result == 0, Describe(right, seed + 1));
        Assert.Equal("fake", right.DesktopName);
        await TcpProxyHarness.WaitUntilAsync(() => gateway.Gateway.Sum("gateway_connections") == 2, Bound, "both connections counted");
        Assert.Equal(1, gateway.Gateway.Sum("gateway_vnc_login_failures", ("reason", "rejected")));
        Assert.Equal([1u, 0u], rfb.Results);
    }

    /// <summary>A host that hangs up mid-handshake: the client gets every byte sent, then the close; not a login failure.</summary>
    [Theory]
    [MemberData(nameof(HangUps))]
    public async Task HostHangsUpMidHandshake_ClientGetsBytesThenClose_CountedNotBlamed(Segmentation segmentation, int after)
    {
        var seed = Seed(segmentation);
        var rfb = new FakeRfbServer { SecurityTypes = [2], Password = Right, Segmentation = segmentation, Seed = seed, HangUpAfter = after };
        await using var gateway = await VncLockoutGateway.StartAsync(rfb, Lockout);

        var end = await HandshakeAsync(gateway, segmentation, seed, Right);

        Assert.True(end.Closed, Describe(end, seed));
        Assert.Equal(after, end.BytesRead);
        await AssertConnectionCountedAsync(gateway);
        Assert.Equal(0, gateway.Gateway.Sum("gateway_vnc_login_failures"));
        Assert.Equal(0, gateway.Gateway.Sum("gateway_client_lockouts"));
    }

    /// <summary>A client that hangs up before the SecurityResult: a failed login for the server, so for the gateway too.</summary>
    [Theory]
    [MemberData(nameof(ClientHangUps))]
    public async Task ClientHangsUpMidHandshake_CountedAsAbandoned(Segmentation segmentation, int after)
    {
        var seed = Seed(segmentation);
        var rfb = Server("RFB 003.008\n", segmentation, seed);
        await using var gateway = await VncLockoutGateway.StartAsync(rfb, Lockout, closeWhenDone: true);

        var end = await HandshakeAsync(gateway, segmentation, seed, Right, clientHangUpAfter: after);

        Assert.True(end.Closed, Describe(end, seed));
        await TcpProxyHarness.WaitUntilAsync(
            () => gateway.Gateway.Sum("gateway_vnc_login_failures", ("reason", "abandoned")) == 1, Bound, "the abandoned login counted");
        await AssertConnectionCountedAsync(gateway);
        Assert.Empty(rfb.Results);
    }

    private int Seed(Segmentation segmentation)
    {
        _output.WriteLine($"segmentation {segmentation}, seed {BaseSeed} (replay with RFB_SPLIT_SEED={BaseSeed})");
        return BaseSeed;
    }

    private static FakeRfbServer Server(string banner, Segmentation segmentation, int seed) => new(banner)
    {
        SecurityTypes = [2],
        ServerChosenType = 2,
        Password = Right,
        DesktopName = "fake",
        Segmentation = segmentation,
        Seed = seed,
    };

    private static string Describe(HandshakeEnd end, int seed) => $"{end} (seed {seed})";

    private static async Task AssertConnectionCountedAsync(VncLockoutGateway gateway) =>
        await TcpProxyHarness.WaitUntilAsync(() => gateway.Gateway.Sum("gateway_connections") == 1, Bound, "the connection counted");

    /// <summary>
    /// Runs the client's side of the handshake with VNC Authentication, writing as <paramref name="segmentation"/> cuts
    /// it, follows the version the server offers (3.3 or 3.8), and closes. Reads exactly what each step needs, so
    /// bytes out of order show up as a wrong result, reason or desktop name, or as a hang that the bound turns into a
    /// failure. Hangs up (closes) after writing <paramref name="clientHangUpAfter"/> bytes.
    /// </summary>
    private static async Task<HandshakeEnd> HandshakeAsync(
        VncLockoutGateway gateway, Segmentation segmentation, int seed, string password, int clientHangUpAfter = int.MaxValue)
    {
        using var cts = new CancellationTokenSource(Bound);
        var token = cts.Token;
        using var socket = await TcpProxyHarness.ConnectAsync(gateway.Port);
        var reader = new ExactReader(socket);
        var writer = new SegmentedWriter(socket, segmentation, seed ^ 0x5EED, clientHangUpAfter);
        try
        {
            var banner = Encoding.ASCII.GetString(await reader.ReadAsync(12, token));
            var rfb33 = banner == "RFB 003.003\n";
            await writer.WriteAsync(Encoding.ASCII.GetBytes(rfb33 ? "RFB 003.003\n" : "RFB 003.008\n"), token);
            await writer.FlushAsync(token);
            if (rfb33)
            {
                Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(await reader.ReadAsync(4, token)));
            }
            else
            {
                var count = (await reader.ReadAsync(1, token))[0];
                Assert.Equal(new byte[] { 2 }, await reader.ReadAsync(count, token));
                await writer.WriteAsync(new byte[] { 2 }, token);
                await writer.FlushAsync(token);
            }

            var challenge = await reader.ReadAsync(16, token);
            await writer.WriteAsync(VncAuthResponse.For(challenge, password), token);
            await writer.FlushAsync(token);
            var result = BinaryPrimitives.ReadUInt32BigEndian(await reader.ReadAsync(4, token));
            if (result != 0)
            {
                return new HandshakeEnd(result, rfb33 ? null : await ReadReasonAsync(reader, token), null, false, reader.Total);
            }

            await writer.WriteAsync(new byte[] { 1 }, token); // ClientInit: shared
            await writer.FlushAsync(token);
            var init = await reader.ReadAsync(24, token);
            var name = Encoding.UTF8.GetString(await reader.ReadAsync(BinaryPrimitives.ReadInt32BigEndian(init.AsSpan(20)), token));
            return new HandshakeEnd(result, null, name, false, reader.Total);
        }
        catch (Exception ex) when (ex is EndOfStreamException or HangUpException)
        {
            return new HandshakeEnd(null, null, null, true, reader.Total);
        }
    }

    /// <summary>A reason string; a length no reason has (bytes out of order) is returned as such instead of read.</summary>
    private static async Task<string> ReadReasonAsync(ExactReader reader, CancellationToken token)
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(await reader.ReadAsync(4, token));
        return length > 1024 ? $"<reason length {length}>" : Encoding.ASCII.GetString(await reader.ReadAsync((int)length, token));
    }

    private sealed record HandshakeEnd(uint? Result, string? Reason, string? DesktopName, bool Closed, int BytesRead);

    /// <summary>Reads exactly the bytes asked for, however they arrive; throws <see cref="EndOfStreamException"/> at a close.</summary>
    private sealed class ExactReader(Socket socket)
    {
        public int Total { get; private set; }

        public async Task<byte[]> ReadAsync(int count, CancellationToken token)
        {
            var buffer = new byte[count];
            var filled = 0;
            while (filled < count)
            {
                int read;
                try
                {
                    read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, token);
                }
                catch (SocketException)
                {
                    read = 0; // a reset is a close too
                }

                if (read == 0)
                {
                    throw new EndOfStreamException($"closed after {Total} bytes");
                }

                filled += read;
                Total += read;
            }

            return buffer;
        }
    }
}
