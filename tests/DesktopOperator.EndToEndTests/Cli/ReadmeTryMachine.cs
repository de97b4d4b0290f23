using System.Net;
using System.Net.Sockets;
using DesktopOperator.Testing.Desktops;

namespace DesktopOperator.EndToEndTests.Cli;

/// <summary>
/// What "Try the operator without a cluster" takes on this machine and must find free: its fixed ports (the operator,
/// both gateway replicas and their pool ports, the first pod), the X display of its Xvnc and its demo account.
/// </summary>
internal static class ReadmeTryMachine
{
    private static readonly IPAddress SecondReplica = IPAddress.Parse("127.0.0.2");

    public static void AssertFree(IPEndPoint firstPod, string user)
    {
        foreach (var (address, port, who) in new[]
        {
            (IPAddress.Loopback, 8081, "operator"), (IPAddress.Loopback, 8080, "first replica"), (SecondReplica, 8080, "second replica"),
            (IPAddress.Loopback, 5900, "first replica's VNC port"), (SecondReplica, 5900, "second replica's VNC port"),
            (IPAddress.Loopback, 3389, "first replica's RDP port"), (SecondReplica, 3389, "second replica's RDP port"),
            (firstPod.Address, firstPod.Port, "first pod"),
        })
        {
            Assert.True(IsFree(new IPEndPoint(address, port)), $"{address}:{port} (the README's {who}) is taken on this machine");
        }

        Assert.False(File.Exists("/tmp/.X11-unix/X21"), "X display :21 (the README's Xvnc) is taken on this machine");
        Assert.False(LocalAccount.Exists(user), $"the README's demo account {user} exists on this machine");
    }

    private static bool IsFree(IPEndPoint endpoint)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
