namespace DesktopOperator.Hosting;

/// <summary>
/// Where a gateway process runs its socket completions, set from <c>--io-threads</c>. With N ≥ 1 the .NET socket
/// engine runs every completion on its own N event threads (inline completions) instead of handing each one to the
/// thread pool: a TCP connection's accept, handshake, routing and connect then run where epoll reported them, as in
/// HAProxy, with no hop and no wake-up of a pool thread per event (its bytes then move on the gateway's own relay
/// threads, as many, set through <c>TcpProxyOptions.RelayThreads</c>). On the benchmark's 2 shared cores one thread took
/// about a third off the CPU time per new connection and a fifth off the 64 B round trip; two threads cost more than one
/// (tests/DesktopOperator.Benchmarks/proxy-figures.md, Run 11). With 0 the runtime's default (the thread pool) stays.
/// <para>The runtime reads its two variables once, when its socket engine starts: this must run before the process
/// makes its first socket. Code on these threads must not block (the gateway does no blocking I/O on them; the
/// HTTP endpoints run on Kestrel's own queues whatever the setting).</para>
/// </summary>
internal static class SocketEngine
{
    public const int MaxIoThreads = 64;

    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public const string ThreadCountVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    /// <summary>The runtime variables for <paramref name="ioThreads"/>: null removes one (the runtime's default).</summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> VariablesFor(int ioThreads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ioThreads);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ioThreads, MaxIoThreads);
        return ioThreads == 0
            ? [new(InlineCompletionsVariable, null), new(ThreadCountVariable, null)]
            : [new(InlineCompletionsVariable, "1"), new(ThreadCountVariable, ioThreads.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    public static void Configure(int ioThreads)
    {
        foreach (var (name, value) in VariablesFor(ioThreads))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
