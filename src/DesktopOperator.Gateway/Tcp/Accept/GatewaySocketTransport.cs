using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DesktopOperator.Gateway.Tcp.Accept;

/// <summary>
/// The gateway's socket transport: Kestrel's for everything but accepting (see <see cref="GatewaySocketListener"/>).
/// Registered after <c>UseSockets</c> it serves every IP endpoint: Kestrel's own HTTP endpoints (Kestrel takes the
/// last registered factory that can bind an endpoint), and the TCP proxy ports bound by <see cref="TcpListenerManager"/>,
/// which take their sockets without Kestrel's connections; other endpoints (Unix sockets) fall through to Kestrel's
/// transport. Options are the socket transport's (<see cref="SocketTransportOptions"/>: backlog, no-delay, buffer
/// sizes, scheduling, listen socket), and the memory pool of Kestrel's connections is the registered
/// <see cref="IMemoryPoolFactory{T}"/>'s, as for Kestrel's own transport. Thread-safe.
/// </summary>
internal sealed partial class GatewaySocketTransport(
    IOptions<SocketTransportOptions> options,
    IMemoryPoolFactory<byte> memoryPoolFactory,
    TcpProxyMetrics metrics,
    DescriptorReserve reserve,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <summary>The <c>protocol</c> label of accept errors on Kestrel's endpoints (metrics, health, pages, Http pools).</summary>
    public const string HttpProtocolLabel = "http";

    private readonly ILogger _logger = loggerFactory.CreateLogger<GatewaySocketTransport>();

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    /// <summary>Kestrel's bind: accept errors are counted with pool "" and protocol <see cref="HttpProtocolLabel"/>.</summary>
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var sockets = Bind(endpoint, NewEpisode(endpoint.ToString() ?? "http", new TagList { { "pool", "" }, { "protocol", HttpProtocolLabel } }, waitForReserve: false));
        return ValueTask.FromResult<IConnectionListener>(new KestrelSocketListener(sockets, new SocketConnectionContextFactory(ConnectionOptions(options.Value), _logger)));
    }

    /// <summary>
    /// A TCP proxy port's bind: accept errors go to <paramref name="episode"/> (labelled with its pool), and the
    /// accepted sockets are the proxy's to use as they are, without Kestrel's connection around them.
    /// </summary>
    public GatewaySocketListener Bind(EndPoint endpoint, AcceptEpisode episode)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var transport = options.Value;
        Socket socket;
        try
        {
            socket = transport.CreateBoundListenSocket(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // As Kestrel's own socket transport does: its bind turns this type into "Failed to bind to address ...",
            // which the commands answer with one line (exit 1) and the plan applier reports as a port in use.
            throw new AddressInUseException(e.Message, e);
        }

        try
        {
            socket.Listen(transport.Backlog);
            return new GatewaySocketListener(socket, episode, transport.NoDelay);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The failure episode of one listener named <paramref name="name"/>, counted with <paramref name="tags"/> plus reason.</summary>
    public AcceptEpisode NewEpisode(string name, TagList tags, bool waitForReserve) =>
        new(name, tags, metrics.AcceptErrors, reserve, waitForReserve, timeProvider, loggerFactory.CreateLogger<AcceptEpisode>());

    private SocketConnectionFactoryOptions ConnectionOptions(SocketTransportOptions transport)
    {
        var connection = new SocketConnectionFactoryOptions
        {
            IOQueueCount = transport.IOQueueCount,
            WaitForDataBeforeAllocatingBuffer = transport.WaitForDataBeforeAllocatingBuffer,
            MaxReadBufferSize = transport.MaxReadBufferSize,
            MaxWriteBufferSize = transport.MaxWriteBufferSize,
            UnsafePreferInlineScheduling = transport.UnsafePreferInlineScheduling,
        };

        // The pool is an internal option: Kestrel fills it from DI, the public constructor leaves the shared array
        // pool, which allocates under load (see TcpListenerManager). Set through the runtime's UnsafeAccessor: checked
        // when compiled against the shared framework's reference, and a missing member surfaces here as a
        // MissingMethodException, which a unit test (GatewaySocketTransportTests) would catch on an upgrade.
        SetMemoryPoolFactory(connection, memoryPoolFactory);
        return connection;
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_MemoryPoolFactory")]
    private static extern void SetMemoryPoolFactory(SocketConnectionFactoryOptions options, IMemoryPoolFactory<byte> factory);
}
