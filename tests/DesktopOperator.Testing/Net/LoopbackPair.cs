using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.Testing.Net;

/// <summary>Two connected TCP sockets on 127.0.0.1 (Nagle off), for tests of what one end does to the other.</summary>
public static class LoopbackPair
{
    /// <summary>A connected socket and the one its listener accepted, within <paramref name="bound"/>; the caller disposes both.</summary>
    public static async Task<(Socket Connecting, Socket Accepted)> ConnectAsync(TimeSpan bound)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var connecting = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            var accept = listener.AcceptAsync();
            await connecting.ConnectAsync(listener.LocalEndPoint!).WaitAsync(bound);
            return (connecting, await accept.WaitAsync(bound));
        }
        catch
        {
            connecting.Dispose();
            throw;
        }
    }
}
