using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// Gives Kestrel's socket transport a <see cref="ProxyMemoryPool"/> (register it as the
/// <see cref="IMemoryPoolFactory{T}"/> singleton: the transport takes its pool from there).
/// </summary>
internal sealed class ProxyMemoryPoolFactory(int blockSize = ProxyMemoryPool.DefaultBlockSize) : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new ProxyMemoryPool(blockSize);
}
