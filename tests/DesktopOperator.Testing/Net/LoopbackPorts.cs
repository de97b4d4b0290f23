using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.Testing.Net;

/// <summary>
/// Free TCP ports on a loopback address, for servers a test starts later (child processes, tools). A port is free
/// when this call returns; a tool started later may still lose a race for it, so fixtures retry a start that fails on
/// a taken port.
/// </summary>
/// <remarks>
/// Ports are handed out from below the kernel's ephemeral range (<c>ip_local_port_range</c>), never from inside it:
/// there, the local port of any outgoing connection (thousands, in a test run that proxies) could take a port between
/// this call and the server's bind, and the test's client would then reach the wrong peer or none. Each process walks
/// its own sequence from a random start, so a port is not handed out twice by one process, and two test processes
/// rarely meet. When the space below the ephemeral range is too small, the kernel picks (port 0), as before.
/// </remarks>
public static class LoopbackPorts
{
    /// <summary>Below this, well-known and desktop ports the tests use on purpose (VNC 59xx, X11 60xx, RDP 3389, 8080).</summary>
    private const int LowestPort = 15000;

    private const int MinimumSpan = 2000;

    private static readonly (int First, int Count) Span = ChooseSpan(ReadEphemeralRange());
    private static int _next = Random.Shared.Next(Math.Max(Span.Count, 1));

    /// <summary>A port on <paramref name="address"/> that nothing listens on right now.</summary>
    public static int GetFreePort(IPAddress address)
    {
        EnsureLoopback(address);
        for (var attempt = 0; attempt < Span.Count; attempt++)
        {
            var port = Span.First + (int)((uint)Interlocked.Increment(ref _next) % (uint)Span.Count);
            if (TryBind(address, port))
            {
                return port;
            }
        }

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>A free endpoint on <paramref name="address"/>.</summary>
    public static IPEndPoint GetFreeEndPoint(IPAddress address) => new(address, GetFreePort(address));

    /// <summary>127.0.0.<paramref name="lastOctet"/>: every address of 127.0.0.0/8 is local on Linux.</summary>
    public static IPAddress Address(int lastOctet) =>
        lastOctet is > 0 and < 255 ? new IPAddress([127, 0, 0, (byte)lastOctet]) : throw new ArgumentOutOfRangeException(nameof(lastOctet));

    /// <summary>Throws unless <paramref name="address"/> is in 127.0.0.0/8: test servers never bind elsewhere.</summary>
    public static void EnsureLoopback(IPAddress address)
    {
        if (!IPAddress.IsLoopback(address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{address} is not an IPv4 loopback address", nameof(address));
        }
    }

    /// <summary>The ports to hand out: below the ephemeral range, else above it, else none (Count 0: the kernel picks).</summary>
    internal static (int First, int Count) ChooseSpan((int Low, int High) ephemeral)
    {
        var below = ephemeral.Low - LowestPort;
        var above = 65535 - ephemeral.High;
        return below >= MinimumSpan ? (LowestPort, below)
            : above >= MinimumSpan ? (ephemeral.High + 1, above)
            : (0, 0);
    }

    private static (int Low, int High) ReadEphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (32768, 60999); // Linux's default
        }
    }

    private static bool TryBind(IPAddress address, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
