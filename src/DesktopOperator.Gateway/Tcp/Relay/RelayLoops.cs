using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp.Relay;

/// <summary>
/// The gateway's relay threads (<see cref="RelayLoop"/>), as many as <c>--io-threads</c>; connections are spread over
/// them in turn. With none (0, or not Linux) <see cref="Pick"/> gives null and connections relay on the .NET socket
/// engine (<see cref="TcpPump"/>), as they also do when a loop has failed.
/// </summary>
internal sealed class RelayLoops : IDisposable
{
    private readonly RelayLoop[] _loops;
    private uint _next;

    public RelayLoops(int threads, ILogger<RelayLoop> logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        _loops = EpollInterop.IsSupported
            ? [.. Enumerable.Range(1, threads).Select(i => new RelayLoop($"TCP relay {i}", logger))]
            : [];
    }

    public int Count => _loops.Length;

    /// <summary>The loop for the next connection, or null to relay it on the socket engine.</summary>
    public RelayLoop? Pick()
    {
        if (_loops.Length == 0)
        {
            return null;
        }

        var loop = _loops[(Interlocked.Increment(ref _next) - 1) % (uint)_loops.Length];
        return loop.IsRunning ? loop : null;
    }

    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            loop.Dispose();
        }
    }
}
