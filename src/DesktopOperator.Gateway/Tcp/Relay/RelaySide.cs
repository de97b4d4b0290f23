using System.Buffers;
using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp.Relay;

/// <summary>
/// One socket of a relayed connection, as its <see cref="RelayLoop"/> sees it: the descriptor borrowed from the
/// <see cref="Socket"/> (its handle is held until the relay ends, so the number cannot be reused under the loop), the
/// bytes still owed to it, whether its sender has finished (FIN read), and what the loop asked epoll to watch.
/// Touched only by the loop's thread once the relay has started.
/// </summary>
internal sealed class RelaySide
{
    private readonly SafeSocketHandle _handle;
    private bool _handleHeld;

    public RelaySide(RelayedConnection owner, Socket socket, TcpProxyError readFailed, TcpProxyError writeFailed, ByteTally inbound)
    {
        // The loop makes non-blocking system calls on the descriptor itself; the Socket stays its owner.
        socket.Blocking = false;
        _handle = socket.SafeHandle;
        _handle.DangerousAddRef(ref _handleHeld);
        Fd = (int)_handle.DangerousGetHandle();
        Owner = owner;
        ReadFailed = readFailed;
        WriteFailed = writeFailed;
        Inbound = inbound;
    }

    public int Fd { get; }

    public RelayedConnection Owner { get; }

    /// <summary>The error of a failed read from this socket.</summary>
    public TcpProxyError ReadFailed { get; }

    /// <summary>The error of a failed write to this socket.</summary>
    public TcpProxyError WriteFailed { get; }

    /// <summary>Counts the bytes read from this socket (and passed to the peer).</summary>
    public ByteTally Inbound { get; }

    public RelaySide Peer { get; set; } = null!;

    /// <summary>This socket's sender has finished (its FIN was read).</summary>
    public bool ReadClosed { get; set; }

    /// <summary>The loop's slot for this side (the epoll data), or -1 before the relay starts and after it ends.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>The events epoll watches for this socket now.</summary>
    public uint Watched { get; set; }

    private byte[]? _pending;
    private int _pendingOffset;
    private int _pendingCount;

    public bool HasPending => _pending is not null;

    public ReadOnlySpan<byte> Pending => _pending.AsSpan(_pendingOffset, _pendingCount);

    /// <summary>Reads are paused while the peer still owes its socket bytes read earlier (backpressure).</summary>
    public bool CanRead => !ReadClosed && !Peer.HasPending;

    /// <summary>What epoll should report for this socket: readable while it may be read, writable while it is owed bytes.</summary>
    public uint Interest => (CanRead ? EpollInterop.In : 0) | (HasPending ? EpollInterop.Out : 0);

    /// <summary>Keeps bytes this socket could not take yet (a copy: the loop's read buffer is reused at once).</summary>
    public void Owe(ReadOnlySpan<byte> bytes)
    {
        _pending = ArrayPool<byte>.Shared.Rent(bytes.Length);
        bytes.CopyTo(_pending);
        _pendingOffset = 0;
        _pendingCount = bytes.Length;
    }

    /// <summary>Sends what this socket is owed; -errno on a failure, else what is still owed.</summary>
    public int SendPending()
    {
        var sent = EpollInterop.Send(Fd, _pending!, _pendingOffset, _pendingCount);
        if (sent < 0)
        {
            return sent == -EpollInterop.EAgain ? _pendingCount : sent;
        }

        _pendingOffset += sent;
        _pendingCount -= sent;
        if (_pendingCount == 0)
        {
            ReturnPending();
        }

        return _pendingCount;
    }

    /// <summary>Gives back the buffers and the descriptor; idempotent.</summary>
    public void Release()
    {
        ReturnPending();
        if (_handleHeld)
        {
            _handleHeld = false;
            _handle.DangerousRelease();
        }
    }

    private void ReturnPending()
    {
        if (_pending is not null)
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = null;
            _pendingCount = 0;
        }
    }
}
