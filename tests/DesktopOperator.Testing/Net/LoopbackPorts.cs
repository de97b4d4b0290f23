using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.Testing.Net;

/// <summary>
/// Free TCP ports on a loopback address. A port is free when this call returns; a tool started later may still lose
/// a race for it, so fixtures retry a start that fails on a taken port.
/// </summary>
public static class LoopbackPorts
{
    /// <summary>A port on <paramref name="address"/> that nothing listens on right now.</summary>
    public static int GetFreePort(IPAddress address)
    {
        EnsureLoopback(address);
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
}
