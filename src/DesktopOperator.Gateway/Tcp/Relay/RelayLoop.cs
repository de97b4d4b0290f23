using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp.Relay;

/// <summary>
/// One thread that connects to hosts and relays the bytes of many TCP connections on its own level-triggered epoll
/// set, as an HAProxy thread does: one receive per readable socket, sent on at once from one 64 KiB buffer, no
/// zero-byte receive and no receive that finds nothing, no hand-off between threads per read. The .NET socket engine
/// makes a receive that fails with EAGAIN per message and wakes its own thread for every event of a socket it has
/// seen, so the host's socket is connected here too and never enters it (tests/DesktopOperator.Benchmarks/proxy-figures.md,
/// Run 13). Accept, the RDP handshake, routing and the queue stay on the engine.
/// <para>Connects, relays and cancellations arrive as commands through a queue and an eventfd that wakes the loop only
/// when it sleeps; what awaits them continues on this thread. A connect's socket stays the caller's: the loop borrows
/// its descriptor and gives it back open. A relay's two sockets are the loop's from <see cref="RelayAsync"/> on: it
/// closes them as the relay ends, before the task completes, and the close takes them out of the set (no DEL).</para>
/// </summary>
internal sealed partial class RelayLoop : IDisposable
{
    private const int MaxEvents = 256;
    private const ulong WakeData = 0;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly byte[] _events = new byte[MaxEvents * EpollInterop.EventSize];
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly ConcurrentQueue<(object Target, bool Cancel)> _commands = new();
    private readonly List<LoopEntry?> _slots = [null];
    private readonly Stack<int> _freeSlots = new();
    private readonly List<int> _endedSlots = [];
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private int _sleeping;
    private volatile bool _stopping;
    private volatile bool _exited;

    public RelayLoop(string name, ILogger logger)
    {
        _logger = logger;
        _epoll = EpollInterop.CreateEpoll();
        _wake = EpollInterop.CreateEventFd();
        EpollInterop.Add(_epoll, _wake, EpollInterop.In, WakeData);
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>False once the loop has stopped (disposed, or failed): relay elsewhere.</summary>
    public bool IsRunning => !_exited && !_stopping;

    /// <summary>
    /// Relays <paramref name="client"/> and <paramref name="upstream"/> until both senders finish or one side fails,
    /// as <see cref="TcpPump.RunAsync"/> does, and closes both (the client's as <see cref="ClientSockets.Close"/> does)
    /// before the task completes; disposing them again afterwards does nothing.
    /// </summary>
    public Task<TcpProxyError> RelayAsync(
        Socket client, ReadOnlyMemory<byte> readAhead, Socket upstream, TimeoutScope activity, ByteTally toHost, ByteTally toClient)
    {
        var connection = new RelayedConnection(client, readAhead, upstream, activity, toHost, toClient);
        connection.CancelThrough(this);
        Post(connection, cancel: false);
        return connection.Completion;
    }

    public void PostCancel(RelayedConnection connection) => Post(connection, cancel: true);

    /// <summary>
    /// Connects <paramref name="socket"/> as <see cref="Socket.ConnectAsync(EndPoint, CancellationToken)"/> does (a
    /// <see cref="SocketException"/> on failure, <see cref="OperationCanceledException"/> on cancellation), but waits on
    /// this loop's set instead of the socket engine's: the socket stays out of the engine unless an asynchronous
    /// operation is made on it later, and the caller continues on this thread, where the relay will run. The connect
    /// bypasses the <see cref="Socket"/>: its <see cref="Socket.Connected"/> and <see cref="Socket.RemoteEndPoint"/> stay unset,
    /// and the descriptor is left non-blocking while <see cref="Socket.Blocking"/> still says true (asynchronous calls and
    /// <see cref="SocketSend"/> are unaffected; set <see cref="Socket.Blocking"/> before a synchronous one).
    /// </summary>
    public async Task ConnectAsync(Socket socket, IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!IsRunning)
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return;
        }

        var wait = new ConnectWait(this, socket); // non-blocking from here
        var started = EpollInterop.Connect(wait.Fd, endPoint);
        if (started != -EpollInterop.EInProgress)
        {
            // Done at once, or failed at once (rare: the socket engine's connect reports that failure in its own terms).
            wait.Release();
            if (started != 0)
            {
                await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        SocketError? result;
        using (cancellationToken.UnsafeRegister(static state => ((ConnectWait)state!).Loop.Post(state, cancel: true), wait))
        {
            Post(wait, cancel: false);
            result = await wait.Completion.ConfigureAwait(false);
        }

        switch (result)
        {
            case null when cancellationToken.IsCancellationRequested:
                throw new OperationCanceledException(cancellationToken);
            case null:
                // The loop stopped under the wait: a failed attempt, which the caller may retry elsewhere.
                throw new SocketException((int)SocketError.OperationAborted);
            case SocketError.Success:
                return;
            default:
                throw new SocketException((int)result.Value);
        }
    }

    /// <summary>
    /// Stops the loop: live relays and waits end as canceled. From the loop's own thread (a continuation of a relay it
    /// completed) it only asks, and the loop stops after its current pass.
    /// </summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        EpollInterop.Signal(_wake);
        if (Thread.CurrentThread == _thread)
        {
            return;
        }

        if (!_thread.Join(TimeSpan.FromSeconds(10)))
        {
            LogStopTimedOut(_logger, _thread.Name);
            return;
        }

        EpollInterop.CloseDescriptor(_epoll);
        EpollInterop.CloseDescriptor(_wake);
    }

    private void Post(object target, bool cancel)
    {
        _commands.Enqueue((target, cancel));
        if (_exited)
        {
            // Nobody left to run it: end what is queued here.
            EndQueued();
        }
        else if (Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1)
        {
            EpollInterop.Signal(_wake);
        }
    }

    private void Run()
    {
        try
        {
            while (!_stopping)
            {
                // Tell posters to wake us before looking at the queue a last time (see Post).
                Interlocked.Exchange(ref _sleeping, 1);
                var count = EpollInterop.Wait(_epoll, _events, _commands.IsEmpty ? -1 : 0);
                Interlocked.Exchange(ref _sleeping, 0);
                if (count < 0)
                {
                    if (count == -EpollInterop.EInterrupted)
                    {
                        continue;
                    }

                    throw new IOException($"epoll_wait failed: errno {-count}");
                }

                for (var i = 0; i < count; i++)
                {
                    var data = EpollInterop.DataAt(_events, i);
                    if (data == WakeData)
                    {
                        EpollInterop.Drain(_wake);
                    }
                    else if (_slots[(int)data] is RelaySide side)
                    {
                        Handle(side, EpollInterop.EventsAt(_events, i));
                    }
                    else if (_slots[(int)data] is ConnectWait wait)
                    {
                        // One-shot: epoll has disabled it; it stays in the set for the relay to re-enable.
                        Drop(wait);
                        wait.End(ConnectResult(wait.Socket, EpollInterop.EventsAt(_events, i)));
                    }
                }

                RunCommands();

                // Slots of relays ended in this pass are reused only now: a later event of the same pass may name one.
                foreach (var slot in _endedSlots)
                {
                    _freeSlots.Push(slot);
                }

                _endedSlots.Clear();
            }
        }
        catch (Exception e)
        {
            LogLoopFailed(_logger, e, _thread.Name);
        }
        finally
        {
            // No poster signals the eventfd from now on (see Post): it is closed once the thread has been joined.
            Volatile.Write(ref _sleeping, 0);
            _exited = true;
            foreach (var entry in _slots.ToArray())
            {
                Cancel(entry);
            }

            EndQueued();
        }
    }

    private void RunCommands()
    {
        while (_commands.TryDequeue(out var command))
        {
            if (command.Cancel)
            {
                Cancel(command.Target);
            }
            else if (command.Target is RelayedConnection connection)
            {
                Start(connection);
            }
            else
            {
                StartWaiting((ConnectWait)command.Target);
            }
        }
    }

    private void EndQueued()
    {
        while (_commands.TryDequeue(out var command))
        {
            switch (command.Target)
            {
                case RelayedConnection connection:
                    connection.End(TcpProxyError.Canceled);
                    break;
                case ConnectWait wait:
                    wait.End(null);
                    break;
            }
        }
    }

    private void Start(RelayedConnection connection)
    {
        if (connection.Ended)
        {
            return;
        }

        try
        {
            // Connected by this loop (the usual case), the host's socket is still in the set from its connect.
            connection.Upstream.MayBeDisabledInSet = true;
            Watch(connection.Upstream, connection.Upstream.Interest);
            Watch(connection.Client, connection.Client.Interest);
        }
        catch (IOException e)
        {
            // A descriptor epoll refuses (closed under us): nothing was relayed.
            LogStartFailed(_logger, e, _thread.Name);
            End(connection, TcpProxyError.Canceled);
        }
    }

    private void StartWaiting(ConnectWait wait)
    {
        try
        {
            Watch(wait, EpollInterop.Out | EpollInterop.OneShot);
        }
        catch (IOException)
        {
            Forget(wait);
            wait.End(SocketError.SocketError);
        }
    }

    /// <summary>Cancels what <paramref name="target"/> is (a relay, a connect wait, a side of a relay), if still live.</summary>
    private void Cancel(object? target)
    {
        switch (target)
        {
            case RelayedConnection connection:
                End(connection, TcpProxyError.Canceled);
                break;
            case RelaySide side:
                End(side.Owner, TcpProxyError.Canceled);
                break;
            case ConnectWait wait:
                Forget(wait);
                wait.End(null);
                break;
        }
    }

    /// <summary>
    /// How a non-blocking connect ended, from what epoll reported: writable alone is success (no system call); with
    /// an error or hang-up, SO_ERROR says why it failed.
    /// </summary>
    private static SocketError ConnectResult(Socket socket, uint events)
    {
        if ((events & (EpollInterop.Error | EpollInterop.HangUp)) == 0)
        {
            return SocketError.Success;
        }

        try
        {
            return (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    private void Handle(RelaySide side, uint events)
    {
        var connection = side.Owner;
        if (connection.Ended)
        {
            return;
        }

        if (connection.OnEvents(side, events, _buffer) is { } error)
        {
            End(connection, error);
            return;
        }

        Follow(side);
        Follow(side.Peer);
        if ((events & (EpollInterop.Error | EpollInterop.HangUp)) != 0 && side.Interest == 0)
        {
            Park(side);
        }
    }

    /// <summary>
    /// Watches what <paramref name="side"/> needs now. A side whose sender has finished and that is owed nothing
    /// leaves the set (the DEL its end would make anyway, now instead of a MOD to nothing first); one only paused by
    /// backpressure stays in it, watching nothing (a MOD now and one later, not a DEL and an ADD).
    /// </summary>
    private void Follow(RelaySide side)
    {
        var interest = side.Interest;
        if (interest == 0 && side.ReadClosed)
        {
            Park(side);
        }
        else
        {
            Rewatch(side, interest);
        }
    }

    /// <summary>Ends the relay: the connection closes both sockets, which takes them out of the set, so no DEL.</summary>
    private void End(RelayedConnection connection, TcpProxyError error)
    {
        Drop(connection.Client);
        Drop(connection.Upstream);
        connection.End(error);
    }

    /// <summary>Gives the entry a slot and watches <paramref name="interest"/> (nothing yet when it is 0).</summary>
    private void Watch(LoopEntry entry, uint interest)
    {
        if (entry.Slot < 0)
        {
            entry.Slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : AddSlot();
            _slots[entry.Slot] = entry;
            entry.Watched = 0;
            Rewatch(entry, interest);
        }
    }

    /// <summary>Watches <paramref name="interest"/> from now on (a socket out of the set goes back in when there is any).</summary>
    private void Rewatch(LoopEntry entry, uint interest)
    {
        if (entry.Slot < 0 || (entry.InSet && interest == entry.Watched) || (!entry.InSet && interest == 0))
        {
            return;
        }

        if (entry.InSet)
        {
            EpollInterop.Modify(_epoll, entry.Fd, interest, (ulong)entry.Slot);
        }
        else
        {
            if (!entry.MayBeDisabledInSet || Reenable(entry, interest) == -EpollInterop.ENoEntry)
            {
                EpollInterop.Add(_epoll, entry.Fd, interest, (ulong)entry.Slot);
            }

            entry.InSet = true;
        }

        entry.Watched = interest;
    }

    /// <summary>
    /// Takes the socket out of the set until there is something to watch again: epoll reports error and hang-up
    /// whatever is asked, and level-triggered it would report them on every pass while the socket waits (a hang-up
    /// with unread bytes behind a slow peer) and the loop would spin.
    /// </summary>
    private void Park(LoopEntry entry)
    {
        if (entry.InSet)
        {
            EpollInterop.Delete(_epoll, entry.Fd);
            entry.InSet = false;
            entry.Watched = 0;
        }
    }

    /// <summary>A MOD of a descriptor left in the set, disabled, by a one-shot wait: 0, or -ENOENT when it is not there.</summary>
    private int Reenable(LoopEntry entry, uint interest)
    {
        entry.MayBeDisabledInSet = false;
        var result = EpollInterop.TryModify(_epoll, entry.Fd, interest, (ulong)entry.Slot);
        return result is 0 or -EpollInterop.ENoEntry ? result : throw new IOException($"epoll_ctl(MOD) failed: errno {-result}");
    }

    /// <summary>Takes the entry out of the set and frees its slot at the end of this pass.</summary>
    private void Forget(LoopEntry entry)
    {
        if (entry.Slot >= 0)
        {
            Park(entry);
            Drop(entry);
        }
    }

    /// <summary>
    /// Frees the entry's slot at the end of this pass and leaves the descriptor as it is: about to be closed (which
    /// takes it out of the set), or disabled there by a one-shot wait. Either way epoll reports nothing more for it.
    /// </summary>
    private void Drop(LoopEntry entry)
    {
        if (entry.Slot >= 0)
        {
            _slots[entry.Slot] = null;
            _endedSlots.Add(entry.Slot);
            entry.Slot = -1;
            entry.InSet = false;
            entry.Watched = 0;
        }
    }

    private int AddSlot()
    {
        _slots.Add(null);
        return _slots.Count - 1;
    }

    [LoggerMessage(EventId = 3661, Level = LogLevel.Critical, Message = "{Thread} failed: its connections were closed, and new ones relay on the .NET socket engine")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception, string? thread);

    [LoggerMessage(EventId = 3662, Level = LogLevel.Warning, Message = "{Thread} could not watch a connection's sockets; the connection was closed")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string? thread);

    [LoggerMessage(EventId = 3663, Level = LogLevel.Warning, Message = "{Thread} did not stop within 10 s")]
    private static partial void LogStopTimedOut(ILogger logger, string? thread);
}
