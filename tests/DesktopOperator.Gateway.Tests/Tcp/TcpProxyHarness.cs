using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Accept;
using DesktopOperator.Gateway.Tcp.Relay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Gateway.Tests.Tcp;

/// <summary>
/// A gateway for one test: a fake router, a private meter with a listener that sums every measurement, a logger
/// that records each connection's outcome, and a <see cref="TcpListenerManager"/> on the gateway's socket transport (<see cref="GatewaySocketTransport"/>).
/// </summary>
internal sealed class TcpProxyHarness : IAsyncDisposable
{
    private readonly Meter _meter = new(TcpProxyMetrics.MeterName);
    private readonly MeterListener _meterListener = new();
    private readonly ConcurrentDictionary<string, double> _measurements = new();
    private readonly List<TcpProxyConnectionHandler> _handlers = [];
    private readonly WebApplication _transportHost;
    private readonly RelayLoops? _relays;
    private int _listenerCount;

    /// <param name="cap">The gateway-wide connection cap; unlimited by default.</param>
    /// <param name="relayThreads">Relay threads of the gateway's own (<see cref="RelayLoops"/>); 0 = the socket engine's pump.</param>
    public TcpProxyHarness(GatewayConnectionCap? cap = null, int relayThreads = 0)
    {
        _relays = relayThreads > 0 ? new RelayLoops(relayThreads, NullLogger<RelayLoop>.Instance) : null;
        _meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == _meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.Start();
        Metrics = new TcpProxyMetrics(_meter);
        // The transport as the executable gets it: from Kestrel's DI, with the gateway's 64 KiB block pool
        // registered as the executable does (built by hand, the socket transport would fall back to the shared array
        // pool). The app is never started.
        // A 64 KiB read buffer per connection (Kestrel's default is 1 MiB): back-pressure engages early and a busy
        // connection pins less memory; the figures in the load tests are taken with it.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSockets(options => options.MaxReadBufferSize = 64 * 1024);
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(new ProxyMemoryPoolFactory());
        // The gateway's own accept (Tcp/Accept), as the executable registers it; its accept errors count on Metrics.
        builder.Services.AddSingleton(Metrics);
        builder.Services.AddGatewaySocketTransport();
        _transportHost = builder.Build();
        Manager = new TcpListenerManager(
            _transportHost.Services.GetRequiredService<GatewaySocketTransport>(),
            cap ?? GatewayConnectionCap.Unlimited,
            Metrics,
            NullLogger<TcpListenerManager>.Instance);
    }

    public FakeRouter Router { get; } = new();

    public TcpProxyMetrics Metrics { get; }

    public TcpListenerManager Manager { get; }

    public ConcurrentQueue<TcpProxyError> Outcomes { get; } = new();

    public async Task<(int Port, TcpProxyConnectionHandler Handler)> StartAsync(
        TcpProtocolKind kind, TcpProxyOptions options, bool proxyProtocol = false, TcpConnectionLimits? limits = null, Func<EndPoint, Socket>? createUpstreamSocket = null)
    {
        var handler = CreateHandler(kind, options, proxyProtocol, limits, createUpstreamSocket);
        var name = "listener-" + Interlocked.Increment(ref _listenerCount);
        var endPoint = await Manager.BindAsync(name, new IPEndPoint(IPAddress.Loopback, 0), handler, CancellationToken.None);
        return (((IPEndPoint)endPoint).Port, handler);
    }

    public TcpProxyConnectionHandler CreateHandler(
        TcpProtocolKind kind, TcpProxyOptions options, bool proxyProtocol = false, TcpConnectionLimits? limits = null, Func<EndPoint, Socket>? createUpstreamSocket = null)
    {
        var settings = new TcpProxyListenerSettings("default/pool", kind.ToString().ToLowerInvariant(), kind, proxyProtocol);
        var handler = new TcpProxyConnectionHandler(
            settings, options, Router, limits ?? TcpConnectionLimits.Unlimited, Metrics, new OutcomeLogger(Outcomes), TimeProvider.System, createUpstreamSocket, _relays);
        _handlers.Add(handler);
        return handler;
    }

    /// <summary>Sum of an instrument's measurements whose tags include all of <paramref name="tags"/>.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags)
    {
        var total = 0.0;
        foreach (var (key, value) in _measurements)
        {
            var parts = key.Split('|');
            if (parts[0] == instrument && tags.All(t => parts.Contains(t.Key + "=" + t.Value)))
            {
                total += value;
            }
        }

        return total;
    }

    public static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    /// <summary>Reads until the peer closes (FIN or reset); returns the bytes read.</summary>
    public static async Task<byte[]> ReadToEndAsync(Socket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var all = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
            {
                all.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // A reset is a close too.
        }

        return all.ToArray();
    }

    /// <summary>Waits for <paramref name="condition"/>, checking it every few milliseconds, up to <paramref name="timeout"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) => Eventually.WaitAsync(condition, what, timeout);

    public async ValueTask DisposeAsync()
    {
        await Manager.StopAsync(TimeSpan.Zero, CancellationToken.None);
        foreach (var handler in _handlers)
        {
            handler.Dispose();
        }

        _relays?.Dispose();
        await _transportHost.DisposeAsync();
        _meterListener.Dispose();
        _meter.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            parts.Add(tag.Key + "=" + tag.Value);
        }

        parts.Sort(StringComparer.Ordinal);
        var key = instrument.Name + "|" + string.Join("|", parts);
        _measurements.AddOrUpdate(key, value, (_, sum) => sum + value);
    }

    /// <summary>Records the <c>Result</c> of every "connection ended" log line.</summary>
    private sealed class OutcomeLogger(ConcurrentQueue<TcpProxyError> outcomes) : ILogger<TcpProxyConnectionHandler>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 3601 && state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                foreach (var value in values)
                {
                    if (value is { Key: "Result", Value: TcpProxyError error })
                    {
                        outcomes.Enqueue(error);
                    }
                }
            }
        }
    }
}
