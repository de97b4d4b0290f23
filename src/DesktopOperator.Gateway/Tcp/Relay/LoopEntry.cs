using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp.Relay;

/// <summary>
/// A socket in a <see cref="RelayLoop"/>'s epoll set: its descriptor, borrowed from the <see cref="Socket"/> (the
/// handle is held until <see cref="Release"/>, so the number cannot be reused under the loop), and its slot (the
/// epoll data). Touched only by the loop's thread once posted.
/// </summary>
internal abstract class LoopEntry
{
    private readonly SafeSocketHandle _handle;
    private bool _handleHeld;

    /// <summary>
    /// Borrows <paramref name="socket"/>'s descriptor, leaving its blocking mode as it is: the loop's receives and
    /// sends say MSG_DONTWAIT themselves (no fcntl pair per socket), and a connect sets O_NONBLOCK itself.
    /// </summary>
    protected LoopEntry(Socket socket)
    {
        // The loop makes system calls on the descriptor itself; the Socket stays its owner.
        Socket = socket;
        _handle = socket.SafeHandle;
        _handle.DangerousAddRef(ref _handleHeld);
        Fd = (int)_handle.DangerousGetHandle();
    }

    public Socket Socket { get; }

    public int Fd { get; }

    /// <summary>The loop's slot for this entry, or -1 while it is not in the set.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>The events epoll watches for this socket now (0 also while it is out of the set).</summary>
    public uint Watched { get; set; }

    /// <summary>The descriptor is in the loop's epoll set (it leaves it only to stop a hang-up being reported again).</summary>
    public bool InSet { get; set; }

    /// <summary>
    /// While not <see cref="InSet"/>: the descriptor may still be in the set, disabled, left there by the one-shot
    /// wait of the connect that made it; watching it again then takes a MOD, not an ADD.
    /// </summary>
    public bool MayBeDisabledInSet { get; set; }

    /// <summary>Gives the descriptor back; idempotent.</summary>
    public virtual void Release()
    {
        if (_handleHeld)
        {
            _handleHeld = false;
            _handle.DangerousRelease();
        }
    }
}
