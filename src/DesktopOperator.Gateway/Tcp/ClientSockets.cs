using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>How a client's socket is let go: one home for the two ways a connection ends.</summary>
internal static class ClientSockets
{
    private static readonly LingerOption ResetOnClose = new(enable: true, seconds: 0);

    /// <summary>
    /// Ends a served connection: a FIN both ways (a send side the pump already shut down stays as it is), then the
    /// descriptor is closed. Should the client still have unread bytes in flight, the kernel answers them with a reset.
    /// When <paramref name="bothFinished"/> (the relay read the client's FIN and delivered every byte), the close alone
    /// sends the FIN owed to the client: nothing is left unread, so it is the same end with one system call fewer.
    /// </summary>
    public static void Close(Socket socket, bool bothFinished = false)
    {
        if (bothFinished)
        {
            socket.Dispose();
            return;
        }

        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer, or never connected: closing is all that is left.
        }
        catch (ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    /// <summary>
    /// Refuses a connection: a reset (linger 0), not a FIN. A FIN after connect reads like a session that ended, a
    /// reset like a refusal; and it leaves no TIME_WAIT behind.
    /// </summary>
    public static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = ResetOnClose;
        }
        catch (SocketException)
        {
        }

        socket.Dispose();
    }
}
