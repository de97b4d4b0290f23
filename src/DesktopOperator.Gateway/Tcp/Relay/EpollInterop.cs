using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace DesktopOperator.Gateway.Tcp.Relay;

/// <summary>
/// The Linux system calls the relay loop makes on descriptors it borrows from <see cref="System.Net.Sockets.Socket"/>s,
/// and <c>struct epoll_event</c>, whose layout differs by architecture: packed (12 bytes, data at 4) on x86-64, natural
/// (16 bytes, data at 8) on the others .NET runs Linux on.
/// </summary>
internal static class EpollInterop
{
    public const uint In = 0x1;
    public const uint Out = 0x4;
    public const uint Error = 0x8;
    public const uint HangUp = 0x10;
    public const uint OneShot = 1u << 30; // EPOLLONESHOT: one report, then the descriptor stays in the set, disabled
    public const int ShutWrite = 1;
    public const int NoSignal = 0x4000;
    public const int DontWait = 0x40;
    public const int EAgain = 11;
    public const int EInterrupted = 4;
    public const int EInProgress = 115;
    public const int ENoEntry = 2;

    private const int CloseOnExec = 0x80000;
    private const int CtlAdd = 1;
    private const int CtlDelete = 2;
    private const int CtlModify = 3;
    private const int SetStatusFlags = 4; // F_SETFL
    private const int NonBlocking = 0x800; // O_NONBLOCK

    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static bool IsSupported => OperatingSystem.IsLinux();

    public static int CreateEpoll() => Check(EpollCreate1(CloseOnExec), "epoll_create1");

    public static int CreateEventFd() => Check(EventFd(0, CloseOnExec | NonBlocking /* EFD_NONBLOCK is O_NONBLOCK */), "eventfd");

    public static void Add(int epoll, int fd, uint events, ulong data) => Check(Control(epoll, CtlAdd, fd, events, data), "epoll_ctl(ADD)");

    public static void Modify(int epoll, int fd, uint events, ulong data) => Check(Control(epoll, CtlModify, fd, events, data), "epoll_ctl(MOD)");

    /// <summary>MOD that reports failure: 0, or -errno (-<see cref="ENoEntry"/>: the descriptor is not in the set).</summary>
    public static int TryModify(int epoll, int fd, uint events, ulong data) =>
        Control(epoll, CtlModify, fd, events, data) == 0 ? 0 : -Marshal.GetLastPInvokeError();

    /// <summary>Best effort: a descriptor that is gone has left the set already.</summary>
    public static void Delete(int epoll, int fd) => _ = Control(epoll, CtlDelete, fd, 0, 0);

    /// <summary>Waits for events into <paramref name="events"/> (<see cref="EventSize"/> bytes each); the count, or -errno.</summary>
    public static int Wait(int epoll, byte[] events, int timeoutMilliseconds)
    {
        var count = EpollWait(epoll, ref events[0], events.Length / EventSize, timeoutMilliseconds);
        return count >= 0 ? count : -Marshal.GetLastPInvokeError();
    }

    public static uint EventsAt(byte[] events, int index) =>
        BinaryPrimitives.ReadUInt32LittleEndian(events.AsSpan(index * EventSize));

    public static ulong DataAt(byte[] events, int index) =>
        MemoryMarshal.Read<ulong>(events.AsSpan((index * EventSize) + DataOffset));

    /// <summary>Bytes received, 0 at the peer's FIN, or -errno; never blocks (MSG_DONTWAIT: no O_NONBLOCK needed).</summary>
    public static int Receive(int fd, byte[] buffer)
    {
        var n = (int)Recv(fd, ref buffer[0], buffer.Length, DontWait);
        return n >= 0 ? n : -Marshal.GetLastPInvokeError();
    }

    /// <summary>Bytes the kernel took, or -errno (never SIGPIPE); never blocks (MSG_DONTWAIT).</summary>
    public static int Send(int fd, byte[] buffer, int offset, int count)
    {
        var n = (int)SendTo(fd, ref buffer[offset], count, NoSignal | DontWait);
        return n >= 0 ? n : -Marshal.GetLastPInvokeError();
    }

    /// <summary>
    /// Starts a connect of a non-blocking socket: 0 when done at once, -EINPROGRESS while it goes on (the socket turns
    /// writable when it has ended, SO_ERROR saying how), else -errno. <c>Socket.Connect</c> would throw for the common
    /// in-progress case, and an exception per connection costs more than the rest of the connect.
    /// </summary>
    public static int Connect(int fd, IPEndPoint endPoint)
    {
        Span<byte> address = stackalloc byte[28];
        address.Clear();
        int length;
        if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(address, 2); // AF_INET, host order
            BinaryPrimitives.WriteUInt16BigEndian(address[2..], (ushort)endPoint.Port);
            endPoint.Address.TryWriteBytes(address[4..8], out _);
            length = 16; // sockaddr_in
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(address, 10); // AF_INET6
            BinaryPrimitives.WriteUInt16BigEndian(address[2..], (ushort)endPoint.Port);
            endPoint.Address.TryWriteBytes(address[8..24], out _);
            BinaryPrimitives.WriteUInt32LittleEndian(address[24..], (uint)endPoint.Address.ScopeId);
            length = 28; // sockaddr_in6
        }

        return ConnectTo(fd, ref MemoryMarshal.GetReference(address), length) == 0 ? 0 : -Marshal.GetLastPInvokeError();
    }

    public static bool ShutdownSend(int fd) => Shutdown(fd, ShutWrite) == 0;

    /// <summary>Sets O_NONBLOCK (and clears the other status flags, which a socket of ours never has) in one call.</summary>
    public static bool TrySetNonBlocking(int fd) => Fcntl(fd, SetStatusFlags, NonBlocking) == 0;

    public static void Signal(int eventFd)
    {
        ulong one = 1;
        _ = Write(eventFd, ref one, sizeof(ulong));
    }

    public static void Drain(int eventFd)
    {
        ulong value = 0;
        _ = Read(eventFd, ref value, sizeof(ulong));
    }

    public static void CloseDescriptor(int fd) => _ = Close(fd);

    private static int Control(int epoll, int op, int fd, uint events, ulong data)
    {
        Span<byte> ev = stackalloc byte[16];
        ev.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(ev, events);
        MemoryMarshal.Write(ev[DataOffset..], in data);
        return EpollCtl(epoll, op, fd, ref MemoryMarshal.GetReference(ev));
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new IOException($"{call} failed: errno {Marshal.GetLastPInvokeError()}");

    [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static extern int EpollCreate1(int flags);

    [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static extern int EpollCtl(int epoll, int op, int fd, ref byte ev);

    [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static extern int EpollWait(int epoll, ref byte events, int max, int timeout);

    [DllImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static extern int EventFd(uint initial, int flags);

    [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static extern nint Recv(int fd, ref byte buffer, nint length, int flags);

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    private static extern nint SendTo(int fd, ref byte buffer, nint length, int flags);

    [DllImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static extern int ConnectTo(int fd, ref byte address, int length);

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);

    [DllImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    private static extern int Shutdown(int fd, int how);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint Write(int fd, ref ulong value, nint length);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint Read(int fd, ref ulong value, nint length);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
