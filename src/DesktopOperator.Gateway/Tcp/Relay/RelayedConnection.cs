using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp.Relay;

/// <summary>
/// The relay of one connection on a <see cref="RelayLoop"/>, with the same contract as <see cref="TcpPump"/>: bytes
/// both ways until both senders finish or one side fails, FIN passed on for half-close (the direction that finishes
/// second leaves its FIN to the close that follows), one outcome, the idle timer reset on every read and write.
/// Driven by level-triggered readiness: one receive into the loop's buffer per readable event, sent on at once; only
/// what the peer cannot take yet is copied, and reading that side pauses until it has gone (backpressure).
/// <para>Threads: built on the caller's thread, then touched only by the loop's thread; cancellation (the activity
/// token: idle timeout, drain, a gateway stop) reaches it as a command through the loop.</para>
/// </summary>
internal sealed class RelayedConnection
{
    private readonly TaskCompletionSource<TcpProxyError> _completion = new();
    private readonly TimeoutScope _activity;
    private CancellationTokenRegistration _cancellation;
    private RelayLoop? _loop;
    private int _ended;

    public RelayedConnection(Socket client, ReadOnlyMemory<byte> readAhead, Socket upstream, TimeoutScope activity, ByteTally toHost, ByteTally toClient)
    {
        _activity = activity;
        Client = new RelaySide(this, client, TcpProxyError.ClientRead, TcpProxyError.ClientWrite, toHost);
        Upstream = new RelaySide(this, upstream, TcpProxyError.UpstreamRead, TcpProxyError.UpstreamWrite, toClient);
        (Client.Peer, Upstream.Peer) = (Upstream, Client);
        if (!readAhead.IsEmpty)
        {
            // Client bytes read before the host was chosen go first; the client is read again once they have.
            toHost.Add(readAhead.Length);
            Upstream.Owe(readAhead.Span);
        }
    }

    public RelaySide Client { get; }

    public RelaySide Upstream { get; }

    public Task<TcpProxyError> Completion => _completion.Task;

    public bool Ended => Volatile.Read(ref _ended) == 1;

    /// <summary>Routes the activity token's cancellation to <paramref name="loop"/>; call before the start is posted.</summary>
    public void CancelThrough(RelayLoop loop)
    {
        _loop = loop;
        _cancellation = _activity.Token.UnsafeRegister(static state => ((RelayedConnection)state!).RequestCancel(), this);
    }

    private void RequestCancel() => _loop!.PostCancel(this);

    /// <summary>Handles what epoll reported for <paramref name="side"/>; returns the outcome once the relay is over.</summary>
    public TcpProxyError? OnEvents(RelaySide side, uint events, byte[] buffer)
    {
        const uint failed = EpollInterop.Error | EpollInterop.HangUp;
        if ((events & (EpollInterop.Out | failed)) != 0 && side.HasPending && Flush(side) is { } flushFailed)
        {
            return flushFailed;
        }

        if ((events & (EpollInterop.In | failed)) != 0 && side.CanRead && Read(side, buffer) is { } readFailed)
        {
            return readFailed;
        }

        // Error and hang-up alone (reported whether watched or not) are left to the read or the send that meets them:
        // a hang-up also comes with a normal end while unread bytes wait behind a slow peer. The loop takes a socket
        // with nothing to watch out of its set, so neither is reported again meanwhile.
        return IsFinished ? TcpProxyError.None : null;
    }

    /// <summary>
    /// Ends the relay once (later calls do nothing): closes both sockets (the client's as <see cref="ClientSockets.Close"/>
    /// does: a clean end closes alone) and completes the outcome. The caller's continuation runs here, so the loop calls
    /// it after its own bookkeeping (the sides' slots freed).
    /// </summary>
    public void End(TcpProxyError error)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
        {
            return;
        }

        Client.Release();
        Upstream.Release();
        Upstream.Socket.Dispose();
        ClientSockets.Close(Client.Socket, bothFinished: error == TcpProxyError.None);
        Client.Inbound.Flush();
        Upstream.Inbound.Flush();
        _cancellation.Dispose();
        _completion.TrySetResult(error == TcpProxyError.Canceled && _activity.TimedOut ? TcpProxyError.IdleTimeout : error);
    }

    private bool IsFinished => Client.ReadClosed && Upstream.ReadClosed && !Client.HasPending && !Upstream.HasPending;

    private TcpProxyError? Read(RelaySide side, byte[] buffer)
    {
        var received = EpollInterop.Receive(side.Fd, buffer);
        if (received < 0)
        {
            return received is -EpollInterop.EAgain or -EpollInterop.EInterrupted ? null : side.ReadFailed;
        }

        var to = side.Peer;
        if (received == 0)
        {
            side.ReadClosed = true;
            return to.HasPending ? null : PassFin(to);
        }

        _activity.Reset();
        side.Inbound.Add(received);
        var sent = EpollInterop.Send(to.Fd, buffer, 0, received);
        if (sent < 0)
        {
            if (sent != -EpollInterop.EAgain)
            {
                return to.WriteFailed;
            }

            sent = 0;
        }

        if (sent < received)
        {
            to.Owe(buffer.AsSpan(sent, received - sent));
        }

        return null;
    }

    private TcpProxyError? Flush(RelaySide side)
    {
        var left = side.SendPending();
        if (left < 0)
        {
            return side.WriteFailed;
        }

        _activity.Reset();
        return left == 0 && side.Peer.ReadClosed ? PassFin(side) : null;
    }

    /// <summary>
    /// The sender feeding <paramref name="to"/> has finished and everything it sent has gone: pass its FIN on, unless
    /// <paramref name="to"/>'s own sender has finished too; then the relay is over and the close sends it.
    /// </summary>
    private static TcpProxyError? PassFin(RelaySide to) =>
        to.ReadClosed || EpollInterop.ShutdownSend(to.Fd) ? null : to.WriteFailed;
}
