using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Vnc;
using DesktopOperator.Gateway.Tests.Health;
using DesktopOperator.Testing.Desktops.Clients;
using DesktopOperator.Testing.Time;

namespace DesktopOperator.Gateway.Tests.Tcp.Vnc;

/// <summary>
/// A fake RFB backend behind a VNC listener with a client lockout, on the real proxy path (Kestrel's socket
/// transport, handler, relay, pump) and a manual clock.
/// </summary>
internal sealed class VncLockoutGateway : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private TcpProxyConnectionHandler? _handler;

    private VncLockoutGateway(TestBackend backend) => Backend = backend;

    public TestBackend Backend { get; }

    public TcpProxyHarness Gateway { get; } = new();

    public ManualTimeProvider Time { get; } = new();

    public RecordingLogger<TcpProxyConnectionHandler> Logger { get; } = new();

    public int Port { get; private set; }

    /// <param name="closeWhenDone">Close the host's side once the fake server is done (the test backend keeps it open otherwise).</param>
    public static async Task<VncLockoutGateway> StartAsync(FakeRfbServer rfb, VncClientLockoutSettings lockout, bool closeWhenDone = false)
    {
        var setup = new VncLockoutGateway(new TestBackend(closeWhenDone
            ? async (socket, token) =>
            {
                await rfb.HandleAsync(socket, token);
                socket.Shutdown(SocketShutdown.Both);
            }
            : rfb.HandleAsync));
        setup.Gateway.Router.AddHost("h1", setup.Backend.Port);
        var settings = new TcpProxyListenerSettings("default/pool", "vnc", TcpProtocolKind.Vnc) { ClientLockout = lockout };
        // Timeouts off: the manual clock only moves when a test moves it.
        var options = new TcpProxyOptions { ConnectTimeout = TimeSpan.Zero, IdleTimeout = TimeSpan.Zero };
        setup._handler = new TcpProxyConnectionHandler(
            settings, options, setup.Gateway.Router, TcpConnectionLimits.Unlimited, setup.Gateway.Metrics, setup.Logger, setup.Time);
        var endPoint = await setup.Gateway.Manager.BindAsync("vnc", new IPEndPoint(IPAddress.Loopback, 0), setup._handler, CancellationToken.None);
        setup.Port = ((IPEndPoint)endPoint).Port;
        return setup;
    }

    public async Task<Socket> ConnectAsync(IPAddress source)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port));
        return socket;
    }

    public Task<RfbServerInit> LoginAsync(IPAddress source, string password) =>
        RfbClient.ReadServerInitAsync(new IPEndPoint(IPAddress.Loopback, Port), Bound, CancellationToken.None, source, password);

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        _handler?.Dispose();
        await Backend.DisposeAsync();
    }
}
