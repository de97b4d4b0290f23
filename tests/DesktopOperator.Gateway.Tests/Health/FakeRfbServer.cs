using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace DesktopOperator.Gateway.Tests.Health;

/// <summary>
/// The server side of the RFB handshake up to the end of security (RFC 6143 sections 7.1.1-7.1.3), as a
/// <see cref="LoopbackServer"/> handler. It follows the version the client answers, like a real server: 3.7 and 3.8
/// get the list of <see cref="SecurityTypes"/> (an empty list is a refusal with <see cref="RefusalReason"/>), 3.8
/// gets SecurityResult OK after choosing None; 3.3 gets the server-chosen <see cref="ServerChosenType"/>. Then it
/// holds the connection until the client closes. What the client sent on its first connection is kept. Its writes
/// go out as <see cref="Segmentation"/> cuts them, so a test can show that a reader copes with any segmentation.
/// </summary>
internal sealed class FakeRfbServer
{
    private readonly TaskCompletionSource<byte[]> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeRfbServer(string banner = "RFB 003.008\n") => Banner = Encoding.ASCII.GetBytes(banner);

    public byte[] Banner { get; }

    /// <summary>Sends the banner in two writes with a pause, so a client sees it arrive in pieces.</summary>
    public bool SplitBanner { get; init; }

    /// <summary>Closes right after the banner, reading nothing.</summary>
    public bool CloseAfterBanner { get; init; }

    /// <summary>For 3.7+: the types offered. Empty: count 0, then <see cref="RefusalReason"/>.</summary>
    public byte[] SecurityTypes { get; init; } = [1];

    /// <summary>For 3.3: the type the server chooses (0 is a refusal with <see cref="RefusalReason"/>).</summary>
    public uint ServerChosenType { get; init; } = 1;

    public string RefusalReason { get; init; } = "Too many security failures";

    /// <summary>How the server's writes are cut into sends (see <see cref="SegmentedWriter"/>).</summary>
    public Segmentation Segmentation { get; init; } = Segmentation.Whole;

    /// <summary>Seed of <see cref="Segmentation.Random"/> cuts.</summary>
    public int Seed { get; init; }

    /// <summary>Closes the connection (FIN both ways) after sending this many bytes, in the middle of a field if so.</summary>
    public int HangUpAfter { get; init; } = int.MaxValue;

    /// <summary>The password VNC Authentication (type 2) checks against; the answer is checked with the test client's DES.</summary>
    public string Password { get; init; } = "secret-1";

    /// <summary>The challenge sent for VNC Authentication.</summary>
    public byte[] Challenge { get; } = [.. Enumerable.Range(1, 16).Select(i => (byte)(i * 7))];

    /// <summary>When set, a ClientInit after a successful VNC Authentication is answered with a ServerInit carrying this name.</summary>
    public string? DesktopName { get; init; }

    /// <summary>SecurityResults sent (0 OK, 1 failed), in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<uint> Results { get; } = new();

    /// <summary>When set, sent instead of the security phase (for a server that answers nonsense).</summary>
    public byte[]? RawSecurityPhase { get; init; }

    /// <summary>False: close after the security phase instead of waiting for the client to close.</summary>
    public bool HoldOpen { get; init; } = true;

    /// <summary>What the client sent on the first connection, complete once the client closed it.</summary>
    public Task<byte[]> FirstTranscript => _first.Task;

    public async Task HandleAsync(Socket socket, CancellationToken token)
    {
        var received = new MemoryStream();
        try
        {
            await ServeAsync(socket, new SegmentedWriter(socket, Segmentation, Seed, HangUpAfter), received, token);
        }
        catch (HangUpException)
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        finally
        {
            _first.TrySetResult(received.ToArray());
        }
    }

    private async Task ServeAsync(Socket socket, SegmentedWriter writer, MemoryStream received, CancellationToken token)
    {
        if (SplitBanner)
        {
            await socket.SendAsync(Banner.AsMemory(0, 6), SocketFlags.None, token);
            await Task.Delay(20, token);
            await socket.SendAsync(Banner.AsMemory(6), SocketFlags.None, token);
        }
        else
        {
            await writer.WriteAsync(Banner, token);
            await writer.FlushAsync(token);
        }

        if (CloseAfterBanner)
        {
            return;
        }

        var version = await ReadAsync(socket, received, 12, token);
        if (version is null)
        {
            return;
        }

        var minor = int.Parse(Encoding.ASCII.GetString(version, 8, 3), System.Globalization.CultureInfo.InvariantCulture);
        if (RawSecurityPhase is not null)
        {
            await writer.WriteAsync(RawSecurityPhase, token);
        }
        else if (minor >= 7)
        {
            await NegotiateAsync(socket, writer, received, minor, token);
        }
        else
        {
            await writer.WriteAsync(U32(ServerChosenType), token);
            if (ServerChosenType == 0)
            {
                await WriteReasonAsync(writer, RefusalReason, token);
            }
            else if (ServerChosenType == 2)
            {
                await VncAuthAsync(socket, writer, received, minor, token);
            }
        }

        await writer.FlushAsync(token);
        if (HoldOpen)
        {
            await DrainAsync(socket, received, token);
        }
    }

    private async Task NegotiateAsync(Socket socket, SegmentedWriter writer, MemoryStream received, int minor, CancellationToken token)
    {
        await writer.WriteAsync(new[] { (byte)SecurityTypes.Length }, token);
        if (SecurityTypes.Length == 0)
        {
            await WriteReasonAsync(writer, RefusalReason, token);
            return;
        }

        await writer.WriteAsync(SecurityTypes, token);
        await writer.FlushAsync(token);
        var choice = await ReadAsync(socket, received, 1, token);
        if (choice is not null && choice[0] == 1 && minor >= 8)
        {
            await writer.WriteAsync(U32(0), token);
        }
        else if (choice is not null && choice[0] == 2)
        {
            await VncAuthAsync(socket, writer, received, minor, token);
        }
    }

    /// <summary>RFC 6143 section 7.2.2: challenge, response, SecurityResult (with a reason in 3.8 when it failed).</summary>
    private async Task VncAuthAsync(Socket socket, SegmentedWriter writer, MemoryStream received, int minor, CancellationToken token)
    {
        await writer.WriteAsync(Challenge, token);
        await writer.FlushAsync(token);
        var response = await ReadAsync(socket, received, 16, token);
        if (response is null)
        {
            return;
        }

        var ok = response.AsSpan().SequenceEqual(Testing.Desktops.Clients.VncAuthResponse.For(Challenge, Password));
        Results.Enqueue(ok ? 0u : 1u);
        await writer.WriteAsync(U32(ok ? 0u : 1u), token);
        if (!ok && minor >= 8)
        {
            await WriteReasonAsync(writer, "Authentication failure", token);
        }

        await writer.FlushAsync(token);
        if (ok && DesktopName is not null && await ReadAsync(socket, received, 1, token) is not null)
        {
            // ServerInit (section 7.3.2): 1x1, 32 bpp, depth 24, true colour, then the name.
            var name = Encoding.UTF8.GetBytes(DesktopName);
            await writer.WriteAsync(new byte[] { 0, 1, 0, 1, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0 }, token);
            await writer.WriteAsync(U32((uint)name.Length), token);
            await writer.WriteAsync(name, token);
        }
    }

    /// <summary>A reason string: its length, then the string, as two fields.</summary>
    private static async Task WriteReasonAsync(SegmentedWriter writer, string reason, CancellationToken token)
    {
        var bytes = Encoding.ASCII.GetBytes(reason);
        await writer.WriteAsync(U32((uint)bytes.Length), token);
        await writer.WriteAsync(bytes, token);
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, or null when the client closes first.</summary>
    private static async Task<byte[]?> ReadAsync(Socket socket, MemoryStream received, int count, CancellationToken token)
    {
        var buffer = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, token);
            if (read == 0)
            {
                return null;
            }

            received.Write(buffer, filled, read);
            filled += read;
        }

        return buffer;
    }

    private static async Task DrainAsync(Socket socket, MemoryStream received, CancellationToken token)
    {
        var buffer = new byte[256];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, token)) > 0)
        {
            received.Write(buffer, 0, read);
        }
    }
}
