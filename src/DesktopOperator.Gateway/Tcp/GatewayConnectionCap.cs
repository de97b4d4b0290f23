namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// The gateway-wide cap on live TCP proxy connections (all listeners together), checked by
/// <see cref="TcpListenerManager"/> as each connection is accepted. Thread-safe and lock-free; every successful
/// <see cref="TryEnter"/> must be paired with one <see cref="Exit"/>.
/// <para>Its purpose is to keep the process away from its open-file limit: a proxied connection holds two descriptors
/// (client and host), and a process out of descriptors cannot accept (the gateway then backs off and gives back its
/// small <see cref="Accept.DescriptorReserve"/>, see <see cref="Accept.AcceptEpisode"/>) and may fail anywhere else it
/// opens a file, the runtime included (measured here before that reserve: a .NET process at EMFILE died with "Out of
/// memory." when it could not start a thread). So the default leaves <see cref="Reserve"/> descriptors for everything
/// else, about twice what an idle gateway holds (measured: a standalone gateway with one pool holds 234 descriptors
/// when ready; with a reserve of 256 and a limit of 512, host connects failed with EMFILE before the cap of 128).</para>
/// </summary>
internal sealed class GatewayConnectionCap(int max)
{
    /// <summary>Descriptors kept free for the runtime, listeners, logs, probes and the route store.</summary>
    public const long Reserve = 512;

    private int _count;

    /// <summary>0 = no cap.</summary>
    public int Max { get; } = max;

    public int Count => Volatile.Read(ref _count);

    public static GatewayConnectionCap Unlimited => new(0);

    /// <summary>
    /// The default cap for an open-file soft limit: (limit − <see cref="Reserve"/>) / 2, at least 1; 0 (no cap) when
    /// the limit is unknown or too large to matter.
    /// </summary>
    public static int DefaultFor(long? openFileLimit) => openFileLimit switch
    {
        null => 0,
        var limit => (int)Math.Clamp((limit.Value - Reserve) / 2, 1, int.MaxValue),
    };

    /// <summary>The most connections an open-file limit can ever serve (two descriptors each); null when unknown.</summary>
    public static long? CeilingFor(long? openFileLimit) => openFileLimit / 2;

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _count) <= Max || Max <= 0)
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _count);
}
