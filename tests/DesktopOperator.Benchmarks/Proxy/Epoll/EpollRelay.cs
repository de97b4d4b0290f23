using System.Net;
using System.Runtime.InteropServices;
using static DesktopOperator.Benchmarks.Proxy.Epoll.EpollNative;

namespace DesktopOperator.Benchmarks.Proxy.Epoll;

/// <summary>
/// The <c>epoll-relay</c> probe: a bare TCP relay on one thread, HAProxy-style — one level-triggered epoll set,
/// non-blocking sockets through P/Invoke, every read into one 64 KiB buffer per thread, a copy kept only for bytes the
/// peer could not take yet, source-hash balancing. No routes, no health checks, no metrics: it measures what the
/// transport alone would cost in .NET without the runtime's socket engine, the ceiling of an event loop of our own
/// (proxy-figures.md, Run 12). Linux x86-64 only (the packed <c>epoll_event</c>).
/// </summary>
internal sealed class EpollRelay
{
    private const int MaxEvents = 256;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly EpollEvent[] _events = new EpollEvent[MaxEvents];
    private readonly Dictionary<int, Side> _sides = [];
    private readonly SockAddrIn[] _backends;
    private readonly int _listener;
    private readonly int _epoll;

    private EpollRelay(int listener, int epoll, SockAddrIn[] backends)
    {
        _listener = listener;
        _epoll = epoll;
        _backends = backends;
    }

    /// <summary>The subcommand: <c>epoll-relay LISTEN_IPv4:PORT BACKEND_IPv4:PORT...</c>; runs until killed.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64 || !OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("epoll-relay: Linux x86-64 only");
            return 2;
        }

        static bool IsIPv4(string a) => IPEndPoint.TryParse(a, out var e) && e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        if (args.Count < 2 || !args.All(IsIPv4))
        {
            Console.Error.WriteLine("usage: epoll-relay LISTEN_IPv4:PORT BACKEND_IPv4:PORT...");
            return 2;
        }

        var listener = Check(Socket(AfInet, SockStream | SockNonBlock | SockCloexec, 0), "socket");
        var one = 1;
        Check(SetSockOpt(listener, SolSocket, SoReuseAddr, ref one, sizeof(int)), "setsockopt");
        var listen = IPEndPoint.Parse(args[0]);
        var address = ToSockAddr(listen);
        Check(Bind(listener, ref address, Marshal.SizeOf<SockAddrIn>()), "bind");
        Check(Listen(listener, 4096), "listen");
        var relay = new EpollRelay(listener, Check(EpollCreate(SockCloexec), "epoll_create1"), [.. args.Skip(1).Select(a => ToSockAddr(IPEndPoint.Parse(a)))]);
        var ev = new EpollEvent { Events = EpollIn, Data = (ulong)listener };
        Check(EpollCtl(relay._epoll, EpollCtlAdd, listener, ref ev), "epoll_ctl");
        Console.WriteLine($"epoll-relay listening on {listen}");
        relay.Loop();
        return 0;
    }

    private void Loop()
    {
        while (true)
        {
            var count = EpollWait(_epoll, _events, MaxEvents, -1);
            if (count < 0 && Marshal.GetLastPInvokeError() == EInterrupted)
            {
                continue;
            }

            Check(count, "epoll_wait");
            for (var i = 0; i < count; i++)
            {
                var fd = (int)_events[i].Data;
                if (fd == _listener)
                {
                    AcceptAll();
                }
                else if (_sides.TryGetValue(fd, out var side))
                {
                    Handle(side, _events[i].Events);
                }
            }
        }
    }

    private void AcceptAll()
    {
        for (var n = 0; n < 64; n++)
        {
            var peer = default(SockAddrIn);
            var length = Marshal.SizeOf<SockAddrIn>();
            var client = Accept(_listener, ref peer, ref length, SockNonBlock | SockCloexec);
            if (client < 0)
            {
                return; // EAGAIN: the backlog is empty (or an error the next wake-up sees again)
            }

            var backend = _backends[(int)((peer.Address * 2654435761u) >> 16) % _backends.Length];
            var server = Socket(AfInet, SockStream | SockNonBlock | SockCloexec, 0);
            var one = 1;
            _ = SetSockOpt(client, IpProtoTcp, TcpNoDelay, ref one, sizeof(int)); // best effort: without it the relay still relays
            _ = SetSockOpt(server, IpProtoTcp, TcpNoDelay, ref one, sizeof(int));
            var connected = Connect(server, ref backend, Marshal.SizeOf<SockAddrIn>());
            if (server < 0 || (connected < 0 && Marshal.GetLastPInvokeError() != EInProgress))
            {
                _ = Close(client);
                _ = Close(server);
                continue;
            }

            var (c, s) = (new Side(client), new Side(server) { Connecting = connected < 0 });
            (c.Peer, s.Peer) = (s, c);
            _sides[client] = c;
            _sides[server] = s;
            Watch(c, EpollCtlAdd);
            Watch(s, EpollCtlAdd);
        }
    }

    private void Handle(Side side, uint events)
    {
        if ((events & (EpollOut | EpollErr | EpollHup)) != 0)
        {
            var wasConnecting = side.Connecting;
            side.Connecting = false;
            if (side.Pending is not null ? !Flush(side) : wasConnecting && side.Peer.ReadClosed && Shutdown(side.Fd, ShutWrite) < 0)
            {
                Drop(side);
                return;
            }
        }

        if ((events & (EpollIn | EpollErr | EpollHup)) != 0 && CanRead(side) && !Read(side))
        {
            Drop(side);
            return;
        }

        // A hang-up is reported whether asked for or not: once this side has nothing left to read, the connection ends.
        var hungUp = (events & EpollHup) != 0 && side.ReadClosed;
        if (hungUp || (side.ReadClosed && side.Peer.ReadClosed && side.Pending is null && side.Peer.Pending is null))
        {
            Drop(side);
            return;
        }

        Rewatch(side);
        Rewatch(side.Peer);
    }

    /// <summary>One read into the thread's buffer, passed on at once; false when the connection must go.</summary>
    private bool Read(Side side)
    {
        var n = (int)Receive(side.Fd, ref _buffer[0], _buffer.Length, 0);
        if (n < 0)
        {
            return Marshal.GetLastPInvokeError() == EAgain;
        }

        var to = side.Peer;
        if (n == 0)
        {
            side.ReadClosed = true;
            if (to.Pending is null && !to.Connecting)
            {
                _ = Shutdown(to.Fd, ShutWrite); // a failure shows as an error on the next read or write
            }

            return true;
        }

        var sent = to.Connecting ? 0 : (int)Send(to.Fd, ref _buffer[0], n, MsgNoSignal);
        if (sent < 0)
        {
            if (Marshal.GetLastPInvokeError() != EAgain)
            {
                return false;
            }

            sent = 0;
        }

        if (sent < n)
        {
            to.Pending = _buffer.AsSpan(sent, n - sent).ToArray();
        }

        return true;
    }

    /// <summary>Sends what a side still owes its socket; false on an error.</summary>
    private bool Flush(Side side)
    {
        var pending = side.Pending!;
        var sent = (int)Send(side.Fd, ref pending[0], pending.Length, MsgNoSignal);
        if (sent < 0)
        {
            return Marshal.GetLastPInvokeError() == EAgain;
        }

        side.Pending = sent == pending.Length ? null : pending.AsSpan(sent).ToArray();
        if (side.Pending is null && side.Peer.ReadClosed)
        {
            _ = Shutdown(side.Fd, ShutWrite);
        }

        return true;
    }

    private static bool CanRead(Side side) => !side.ReadClosed && side.Peer.Pending is null;

    private static uint Interest(Side side) =>
        (CanRead(side) ? EpollIn : 0) | (side.Connecting || side.Pending is not null ? EpollOut : 0);

    private void Rewatch(Side side)
    {
        if (Interest(side) != side.Watched)
        {
            Watch(side, EpollCtlMod);
        }
    }

    private void Watch(Side side, int op)
    {
        side.Watched = Interest(side);
        var ev = new EpollEvent { Events = side.Watched, Data = (ulong)side.Fd };
        Check(EpollCtl(_epoll, op, side.Fd, ref ev), "epoll_ctl");
    }

    private void Drop(Side side)
    {
        Forget(side);
        Forget(side.Peer);
    }

    private void Forget(Side side)
    {
        _sides.Remove(side.Fd);
        _ = Close(side.Fd); // also leaves the epoll set
    }

    private static SockAddrIn ToSockAddr(IPEndPoint endPoint) => new()
    {
        Family = AfInet,
        Port = (ushort)IPAddress.HostToNetworkOrder((short)endPoint.Port),
        Address = BitConverter.ToUInt32(endPoint.Address.GetAddressBytes()),
    };

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new InvalidOperationException($"{call}: errno {Marshal.GetLastPInvokeError()}");

    /// <summary>One socket of a relayed connection and what it still owes that socket.</summary>
    private sealed class Side(int fd)
    {
        public int Fd { get; } = fd;

        public Side Peer { get; set; } = null!;

        public bool Connecting { get; set; }

        public bool ReadClosed { get; set; }

        public byte[]? Pending { get; set; }

        public uint Watched { get; set; }
    }
}
