using System.Buffers;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// Client bytes read before the host was chosen (an RDP client's Connection Request, read for its cookie): the pump
/// sends them to the host first, unchanged. The buffer is rented; <see cref="Dispose"/> returns it. Not thread-safe.
/// </summary>
internal sealed class ReadAhead(int capacity) : IDisposable
{
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    public int Length { get; private set; }

    /// <summary>Room left for the next read; empty once <see cref="Capacity"/> bytes were read.</summary>
    public Memory<byte> Free => Buffer.AsMemory(Length, Capacity - Length);

    public int Capacity { get; } = capacity;

    public ReadOnlyMemory<byte> Bytes => Buffer.AsMemory(0, Length);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(ReadAhead));

    /// <summary>Takes <paramref name="count"/> bytes just received into <see cref="Free"/>.</summary>
    public void Advance(int count) => Length += count;

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
