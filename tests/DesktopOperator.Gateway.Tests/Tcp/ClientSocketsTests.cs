using System.Net.Sockets;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Testing.Net;

namespace DesktopOperator.Gateway.Tests.Tcp;

/// <summary>How a served client's socket is let go: the client sees a FIN (end of stream), never a reset.</summary>
public sealed class ClientSocketsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Close_BothFinished_ClientReadsItsBytesThenEndOfStream()
    {
        var (client, served) = await LoopbackPair.ConnectAsync(Bound);
        using (client)
        {
            // The relay's clean end: the client's FIN was read, and the bytes owed to it were sent.
            client.Shutdown(SocketShutdown.Send);
            Assert.Equal(0, await served.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Bound));
            await served.SendAsync("bye"u8.ToArray(), SocketFlags.None);

            ClientSockets.Close(served, bothFinished: true);

            Assert.True(served.SafeHandle.IsClosed);
            Assert.Equal("bye", await ReadToEndAsync(client));
        }
    }

    [Fact]
    public async Task Close_ClientHasNotFinished_ShutsDownAndClosesAndTheClientReadsEndOfStream()
    {
        var (client, served) = await LoopbackPair.ConnectAsync(Bound);
        using (client)
        {
            ClientSockets.Close(served);

            Assert.True(served.SafeHandle.IsClosed);
            Assert.Equal(string.Empty, await ReadToEndAsync(client));
        }
    }

    /// <summary>The accept loop's close after a relay thread has closed the socket itself (RelayLoop.RelayAsync).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Close_AlreadyClosed_DoesNothing(bool bothFinished)
    {
        var (client, served) = await LoopbackPair.ConnectAsync(Bound);
        using (client)
        {
            served.Dispose();

            ClientSockets.Close(served, bothFinished);

            Assert.True(served.SafeHandle.IsClosed);
            Assert.Equal(string.Empty, await ReadToEndAsync(client));
        }
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var bytes = new List<byte>();
        var buffer = new byte[64];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Bound) is var n and > 0)
        {
            bytes.AddRange(buffer.AsSpan(0, n));
        }

        return System.Text.Encoding.ASCII.GetString(bytes.ToArray());
    }
}
