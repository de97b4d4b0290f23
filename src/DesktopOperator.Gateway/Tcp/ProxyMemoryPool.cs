using System.Buffers;
using System.Collections.Concurrent;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// The socket transport's memory pool in the gateway (Kestrel's HTTP endpoints; the TCP proxy ports no longer use
/// Kestrel's connections): blocks of <see cref="MaxBufferSize"/> bytes (64 KiB by default) instead of Kestrel's
/// 4 KiB, so a busy connection moves up to a block per receive and per send, as HAProxy (16 KiB buffers) and YARP's
/// StreamCopier (64 KiB) do: fewer system calls per byte (proxy-figures.md, Run 4, measured on the TCP pump when it
/// ran on Kestrel). An idle connection holds no block: the transport waits for data before it rents one (zero-byte
/// receive), and a pipe returns its blocks once they are consumed. Returned blocks are kept for reuse up to <see cref="_maxRetained"/>, the rest are left
/// to the GC. Thread-safe.
/// </summary>
internal sealed class ProxyMemoryPool(int blockSize = ProxyMemoryPool.DefaultBlockSize, int maxRetained = ProxyMemoryPool.DefaultMaxRetained)
    : MemoryPool<byte>
{
    public const int DefaultBlockSize = 64 * 1024;

    /// <summary>Blocks kept for reuse: 16 MiB at the default size, enough for 128 busy connections in both directions.</summary>
    public const int DefaultMaxRetained = 256;

    private readonly ConcurrentQueue<Block> _free = new();
    private readonly int _maxRetained = maxRetained;
    private int _retained;

    public override int MaxBufferSize { get; } = blockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, MaxBufferSize);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retained);
            block.Rented = true;
            return block;
        }

        return new Block(this, GC.AllocateUninitializedArray<byte>(MaxBufferSize, pinned: true));
    }

    protected override void Dispose(bool disposing) => _free.Clear();

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _retained) <= _maxRetained)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _retained);
        }
    }

    /// <summary>One block; the owner object is reused with its array, so renting allocates nothing once warm.</summary>
    private sealed class Block(ProxyMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        public bool Rented { get; set; } = true;

        public Memory<byte> Memory { get; } = array;

        public void Dispose()
        {
            if (Rented)
            {
                Rented = false;
                pool.Return(this);
            }
        }
    }
}
