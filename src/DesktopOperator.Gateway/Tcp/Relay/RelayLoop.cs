using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp.Relay;

/// <summary>
/// One thread that relays the bytes of many TCP connections on its own level-triggered epoll set, as an HAProxy
/// thread does: one receive per readable socket, sent on at once from one 64 KiB buffer, no zero-byte receive and no
/// receive that finds nothing, no hand-off between threads per read. The .NET socket engine pays about a fifth more CPU
/// per relayed message and a receive that fails with EAGAIN per message (tests/DesktopOperator.Benchmarks/proxy-figures.md,
/// Runs 12 and 13). Everything before the relay (accept, handshake, routing, connect, queue) stays on the engine.
/// <para>Starts and cancellations arrive as commands through a queue and an eventfd that wakes the loop only when it
/// sleeps. Every socket is the caller's: the loop borrows its descriptor for the relay and gives it back (deleted from
/// the set, never closed) before the relay's task completes.</para>
/// </summary>
internal sealed partial class RelayLoop : IDisposable
{
    private const int MaxEvents = 256;
    private const ulong WakeData = 0;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly byte[] _events = new byte[MaxEvents * EpollInterop.EventSize];
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly ConcurrentQueue<(RelayedConnection Connection, bool Cancel)> _commands = new();
    private readonly List<RelaySide?> _slots = [null];
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
    /// as <see cref="TcpPump.RunAsync"/> does; the caller closes both sockets after the task completes.
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

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        EpollInterop.Signal(_wake);
        if (!_thread.Join(TimeSpan.FromSeconds(10)))
        {
            LogStopTimedOut(_logger, _thread.Name);
            return;
        }

        EpollInterop.CloseDescriptor(_epoll);
        EpollInterop.CloseDescriptor(_wake);
    }

    private void Post(RelayedConnection connection, bool cancel)
    {
        _commands.Enqueue((connection, cancel));
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
                    else if (_slots[(int)data] is { } side)
                    {
                        Handle(side, EpollInterop.EventsAt(_events, i));
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
            _exited = true;
            foreach (var side in _slots.ToArray())
            {
                if (side is not null)
                {
                    End(side.Owner, TcpProxyError.Canceled);
                }
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
                End(command.Connection, TcpProxyError.Canceled);
            }
            else
            {
                Start(command.Connection);
            }
        }
    }

    private void EndQueued()
    {
        while (_commands.TryDequeue(out var command))
        {
            command.Connection.End(TcpProxyError.Canceled);
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
            Watch(connection.Upstream);
            Watch(connection.Client);
        }
        catch (IOException e)
        {
            // A descriptor epoll refuses (closed under us): nothing was relayed.
            LogStartFailed(_logger, e, _thread.Name);
            End(connection, TcpProxyError.Canceled);
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

        Rewatch(side);
        Rewatch(side.Peer);
    }

    private void End(RelayedConnection connection, TcpProxyError error)
    {
        Forget(connection.Client);
        Forget(connection.Upstream);
        connection.End(error);
    }

    private void Watch(RelaySide side)
    {
        if (side.Slot < 0)
        {
            side.Slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : AddSlot();
            _slots[side.Slot] = side;
            side.Watched = side.Interest;
            EpollInterop.Add(_epoll, side.Fd, side.Watched, (ulong)side.Slot);
        }
    }

    private void Rewatch(RelaySide side)
    {
        var interest = side.Interest;
        if (side.Slot >= 0 && interest != side.Watched)
        {
            side.Watched = interest;
            EpollInterop.Modify(_epoll, side.Fd, interest, (ulong)side.Slot);
        }
    }

    /// <summary>Takes the side out of the set and frees its slot at the end of this pass.</summary>
    private void Forget(RelaySide side)
    {
        if (side.Slot >= 0)
        {
            EpollInterop.Delete(_epoll, side.Fd);
            _slots[side.Slot] = null;
            _endedSlots.Add(side.Slot);
            side.Slot = -1;
        }
    }

    private int AddSlot()
    {
        _slots.Add(null);
        return _slots.Count - 1;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "TCP relay thread {Thread} failed; its connections were closed and new ones relay on the socket engine")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception, string? thread);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TCP relay thread {Thread} could not watch a connection's sockets; the connection was closed")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string? thread);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TCP relay thread {Thread} did not stop within 10 s")]
    private static partial void LogStopTimedOut(ILogger logger, string? thread);
}
