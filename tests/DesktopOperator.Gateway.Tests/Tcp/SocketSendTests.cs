using System.Net.Sockets;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Testing.Net;

namespace DesktopOperator.Gateway.Tests.Tcp;

public sealed class SocketSendTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AllAsync_MoreThanThePeerTakesAtOnce_DeliversEveryByteInOrder()
    {
        var (sender, receiver) = await LoopbackPair.ConnectAsync(Bound);
        using (sender)
        using (receiver)
        {
            sender.SendBufferSize = 16 * 1024;
            receiver.ReceiveBufferSize = 16 * 1024;
            var payload = new byte[8 << 20];
            Random.Shared.NextBytes(payload);

            // The receiver is not reading yet: the non-blocking send takes what fits, the rest has to wait.
            var send = SocketSend.AllAsync(sender, payload, CancellationToken.None);
            Assert.False(send.IsCompleted, "8 MiB cannot fit into the socket buffers: the rest must wait for the reader");

            var received = new byte[payload.Length];
            var total = 0;
            while (total < received.Length)
            {
                var read = await receiver.ReceiveAsync(received.AsMemory(total), SocketFlags.None).AsTask().WaitAsync(Bound);
                Assert.True(read > 0, $"the connection ended after {total} bytes");
                total += read;
            }

            await send.AsTask().WaitAsync(Bound);
            Assert.Equal(payload, received);
        }
    }

    [Fact]
    public async Task AllAsync_SendTheSocketTakesAtOnce_CompletesWithoutAllocating()
    {
        var (sender, receiver) = await LoopbackPair.ConnectAsync(Bound);
        using (sender)
        using (receiver)
        {
            var message = new byte[] { 1, 2, 3 };
            await SocketSend.AllAsync(sender, message, CancellationToken.None); // first call: JIT, non-blocking mode

            var before = GC.GetAllocatedBytesForCurrentThread();
            var send = SocketSend.AllAsync(sender, message, CancellationToken.None);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.True(send.IsCompletedSuccessfully);
            Assert.Equal(0, allocated);
            var received = new byte[6];
            var total = 0;
            while (total < received.Length)
            {
                total += await receiver.ReceiveAsync(received.AsMemory(total), SocketFlags.None).AsTask().WaitAsync(Bound);
            }

            Assert.Equal(new byte[] { 1, 2, 3, 1, 2, 3 }, received);
        }
    }

    [Fact]
    public async Task AllAsync_CanceledToken_Throws()
    {
        var (sender, receiver) = await LoopbackPair.ConnectAsync(Bound);
        using (sender)
        using (receiver)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
                await SocketSend.AllAsync(sender, new byte[] { 1 }, new CancellationToken(canceled: true)));
        }
    }
}
