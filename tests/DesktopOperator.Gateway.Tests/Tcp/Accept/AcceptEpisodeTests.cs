using System.Diagnostics.Metrics;
using System.Net.Sockets;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Accept;
using DesktopOperator.Gateway.Tests.Health;
using DesktopOperator.Testing.Time;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Gateway.Tests.Tcp.Accept;

/// <summary>The accept loop's core (<see cref="GatewaySocketListener.AcceptSocketAsync"/>) over a scripted accept.</summary>
public sealed class AcceptEpisodeTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly ManualTimeProvider _time = new();
    private readonly Meter _meter = new(TcpProxyMetrics.MeterName);
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _errors = [];
    private readonly RecordingLogger<AcceptEpisode> _log = new();
    private readonly DescriptorReserve _reserve = new(4, new RecordingLogger<DescriptorReserve>());
    private readonly TcpProxyMetrics _metrics;
    private readonly AcceptEpisode _episode;

    public AcceptEpisodeTests()
    {
        _metrics = new TcpProxyMetrics(_meter);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == _meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    lock (_errors)
                    {
                        _errors[(string)tag.Value!] = _errors.GetValueOrDefault((string)tag.Value!) + value;
                    }
                }
            }
        });
        _listener.Start();
        _episode = new AcceptEpisode("test", TcpProxyMetrics.PoolTags(new TcpProxyListenerSettings("ns/pool", "rdp", TcpProtocolKind.Rdp, false)), _metrics.AcceptErrors, _reserve, waitForReserve: true, _time, _log);
    }

    [Fact]
    public async Task AcceptSocketAsync_TooManyOpenFilesThreeTimes_BacksOff10To40MsCountsLogsOnceAndReturnsTheSocket()
    {
        var accept = new ScriptedAccept(SocketError.TooManyOpenSockets, SocketError.TooManyOpenSockets, SocketError.TooManyOpenSockets, null);

        var task = GatewaySocketListener.AcceptSocketAsync(accept.AcceptAsync, _episode, CancellationToken.None).AsTask();
        foreach (var backoff in new[] { 10, 20, 40 })
        {
            await Eventually.WaitAsync(() => _time.ActiveTimers == 1, $"the {backoff} ms backoff armed", Bound);
            Assert.True(_reserve.IsReleased, "the reserve is given back at EMFILE");
            _time.Advance(TimeSpan.FromMilliseconds(backoff - 1));
            Assert.Equal(1, _time.ActiveTimers); // not retried before the backoff is over
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        using var socket = await task.WaitAsync(Bound);
        Assert.NotNull(socket);
        Assert.Equal(4, accept.Calls);
        Assert.Equal(3, Errors("too_many_open_files"));
        Assert.Equal([3631, 3632], _log.Entries.Select(e => e.Id.Id));
        Assert.Contains("after 3 failed accepts (TooManyOpenFiles)", _log.Entries[1].Message, StringComparison.Ordinal);
        Assert.False(_reserve.IsReleased);
        Assert.Equal(4, _reserve.Held);
        Assert.Equal(0, _episode.Failures);
    }

    [Fact]
    public async Task AcceptSocketAsync_ClientResetInTheBacklog_RetriesAtOnceCountedAsOther()
    {
        var accept = new ScriptedAccept(SocketError.ConnectionAborted, SocketError.ConnectionReset, null);

        // No time passes on the manual clock: the retries do not wait.
        using var socket = await GatewaySocketListener.AcceptSocketAsync(accept.AcceptAsync, _episode, CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.NotNull(socket);
        Assert.Equal(2, Errors("other"));
        Assert.Empty(_log.Entries);
        Assert.Equal(4, _reserve.Held);
    }

    [Fact]
    public async Task AcceptSocketAsync_NoBufferSpace_BacksOffKeepingTheReserve()
    {
        var accept = new ScriptedAccept(SocketError.NoBufferSpaceAvailable, null);

        var task = GatewaySocketListener.AcceptSocketAsync(accept.AcceptAsync, _episode, CancellationToken.None).AsTask();
        await Eventually.WaitAsync(() => _time.ActiveTimers == 1, "the backoff armed", Bound);
        Assert.False(_reserve.IsReleased);
        _time.Advance(TimeSpan.FromMilliseconds(10));

        using var socket = await task.WaitAsync(Bound);
        Assert.Equal(1, Errors("no_buffer_space"));
        Assert.Equal(4, _reserve.Held);
    }

    [Fact]
    public async Task AcceptSocketAsync_UnboundDuringBackoff_ReturnsNullWithoutThrowing()
    {
        var accept = new ScriptedAccept(SocketError.TooManyOpenSockets, SocketError.TooManyOpenSockets);
        using var unbound = new CancellationTokenSource();

        var task = GatewaySocketListener.AcceptSocketAsync(accept.AcceptAsync, _episode, unbound.Token).AsTask();
        await Eventually.WaitAsync(() => _time.ActiveTimers == 1, "the backoff armed", Bound);
        await unbound.CancelAsync();

        Assert.Null(await task.WaitAsync(Bound));
        Assert.Equal(1, accept.Calls);
    }

    /// <summary>
    /// A host socket met EMFILE and released the reserve while every accept succeeds (each failed host socket closes its
    /// client, freeing the descriptor the next accept takes): the proxy port stops accepting until the reserve is whole.
    /// </summary>
    [Fact]
    public async Task AcceptSocketAsync_ReserveReleasedByAHostSocket_NoAcceptUntilItIsWholeAgain()
    {
        var outOfDescriptors = false;
        using var reserve = new DescriptorReserve(4, new RecordingLogger<DescriptorReserve>(), () =>
            Volatile.Read(ref outOfDescriptors) ? throw new IOException("Too many open files") : File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read));
        var episode = new AcceptEpisode("test", [], _metrics.AcceptErrors, reserve, waitForReserve: true, _time, _log);
        var accept = new ScriptedAccept((SocketError?)null);
        Volatile.Write(ref outOfDescriptors, true);
        reserve.Release();

        var task = GatewaySocketListener.AcceptSocketAsync(accept.AcceptAsync, episode, CancellationToken.None).AsTask();
        foreach (var backoff in new[] { 10, 20 })
        {
            await Eventually.WaitAsync(() => _time.ActiveTimers == 1, $"the {backoff} ms wait armed", Bound);
            Assert.Equal(0, accept.Calls);
            _time.Advance(TimeSpan.FromMilliseconds(backoff));
        }

        await Eventually.WaitAsync(() => _time.ActiveTimers == 1, "the 40 ms wait armed", Bound);
        Volatile.Write(ref outOfDescriptors, false); // connections closed
        _time.Advance(TimeSpan.FromMilliseconds(40));

        using var socket = await task.WaitAsync(Bound);
        Assert.NotNull(socket);
        Assert.Equal(1, accept.Calls);
        Assert.False(reserve.IsReleased);
        Assert.Equal(4, reserve.Held);
        Assert.Empty(_errors); // no accept failed
    }

    [Fact]
    public async Task AcceptSocketAsync_ReserveReleasedOnAKestrelEndpoint_AcceptsAtOnce()
    {
        var episode = new AcceptEpisode("admin", [], _metrics.AcceptErrors, _reserve, waitForReserve: false, _time, _log);
        var accept = new ScriptedAccept((SocketError?)null);
        _reserve.Release();

        using var socket = await GatewaySocketListener.AcceptSocketAsync(accept.AcceptAsync, episode, CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.NotNull(socket);
        Assert.True(_reserve.IsReleased); // /healthz and /metrics answer with the descriptors the release gave back
    }

    [Fact]
    public async Task AcceptSocketAsync_ListeningSocketClosed_ReturnsNull()
    {
        Assert.Null(await GatewaySocketListener.AcceptSocketAsync(_ => throw new ObjectDisposedException("socket"), _episode, CancellationToken.None));
        Assert.Null(await GatewaySocketListener.AcceptSocketAsync(_ => throw new SocketException((int)SocketError.OperationAborted), _episode, CancellationToken.None));
        Assert.Empty(_errors);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meter.Dispose();
        _reserve.Dispose();
    }

    private long Errors(string reason)
    {
        lock (_errors)
        {
            return _errors.GetValueOrDefault(reason);
        }
    }

    /// <summary>Accepts that follow a script: a socket error to throw, or null for a (never connected) socket.</summary>
    private sealed class ScriptedAccept(params SocketError?[] steps)
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<Socket> AcceptAsync(CancellationToken cancellationToken)
        {
            var step = steps[Math.Min(Interlocked.Increment(ref _calls) - 1, steps.Length - 1)];
            return step is { } error
                ? throw new SocketException((int)error)
                : ValueTask.FromResult(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        }
    }
}
