using System.Buffers;
using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp.Relay;

/// <summary>
/// One socket of a relayed connection, as its <see cref="RelayLoop"/> sees it: the bytes still owed to it and
/// whether its sender has finished (FIN read).
/// </summary>
internal sealed class RelaySide : LoopEntry
{
    public RelaySide(RelayedConnection owner, Socket socket, TcpProxyError readFailed, TcpProxyError writeFailed, ByteTally inbound)
        : base(socket)
    {
        Owner = owner;
        ReadFailed = readFailed;
        WriteFailed = writeFailed;
        Inbound = inbound;
    }

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

    private byte[]? _pending;
    private int _pendingOffset;
    private int _pendingCount;

    public bool HasPending => _pending is not null;

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
    public override void Release()
    {
        ReturnPending();
        base.Release();
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
