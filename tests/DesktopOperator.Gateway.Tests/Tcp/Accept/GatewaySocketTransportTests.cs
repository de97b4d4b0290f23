using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Accept;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DesktopOperator.Gateway.Tests.Tcp.Accept;

/// <summary>The transport as the executable registers it: after <c>UseSockets</c>, with the gateway's memory pool.</summary>
public sealed class GatewaySocketTransportTests : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly Meter _meter = new(TcpProxyMetrics.MeterName);
    private readonly WebApplication _host;

    public GatewaySocketTransportTests()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSockets(o => o.MaxReadBufferSize = 64 * 1024);
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(new ProxyMemoryPoolFactory());
        builder.Services.AddSingleton(new TcpProxyMetrics(_meter));
        builder.Services.AddGatewaySocketTransport();
        _host = builder.Build();
    }

    [Fact]
    public void Registration_LastFactoryIsOurs_AndLeavesUnixSocketsToKestrel()
    {
        var transport = Assert.IsType<GatewaySocketTransport>(_host.Services.GetRequiredService<IConnectionListenerFactory>());
        Assert.True(transport.CanBind(new IPEndPoint(IPAddress.Loopback, 0)));
        Assert.False(transport.CanBind(new UnixDomainSocketEndPoint("/tmp/gateway-test.sock")));
    }

    [Fact]
    public async Task BindAsync_AcceptsAConnectionOnTheRegisteredMemoryPool_AndEndsWithNullWhenUnbound()
    {
        var factory = _host.Services.GetRequiredService<IConnectionListenerFactory>();
        await using var listener = await factory.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.EndPoint);

        var connection = await listener.AcceptAsync().AsTask().WaitAsync(Bound);
        Assert.NotNull(connection);
        await using (connection)
        {
            // The pool Kestrel would use (64 KiB blocks), not the shared array pool the public options default to.
            Assert.IsType<ProxyMemoryPool>(connection.Features.Get<IMemoryPoolFeature>()?.MemoryPool);
            Assert.Equal(client.LocalEndPoint, connection.RemoteEndPoint);

            await client.SendAsync(new byte[] { 42 }, SocketFlags.None);
            var read = await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(Bound);
            Assert.Equal(42, read.Buffer.FirstSpan[0]);
            connection.Transport.Input.AdvanceTo(read.Buffer.End);
        }

        var pending = listener.AcceptAsync().AsTask();
        await listener.UnbindAsync();
        Assert.Null(await pending.WaitAsync(Bound));
        Assert.Null(await listener.AcceptAsync().AsTask().WaitAsync(Bound));
    }

    [Fact]
    public async Task Bind_ProxyPort_AcceptedSocketsHaveNagleOff()
    {
        var transport = _host.Services.GetRequiredService<GatewaySocketTransport>();
        var episode = transport.NewEpisode("test", [], waitForReserve: false);
        await using var listener = transport.Bind(new IPEndPoint(IPAddress.Loopback, 0), episode);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.EndPoint);

        using var accepted = await listener.AcceptAsync().AsTask().WaitAsync(Bound);

        // Read back from the kernel: on Linux the accepted socket has it from the listening socket, set once.
        Assert.NotNull(accepted);
        Assert.True(accepted.NoDelay);
    }

    [Fact]
    public async Task BindAsync_PortInUse_AddressInUseExceptionAsKestrelsOwnTransport()
    {
        var factory = _host.Services.GetRequiredService<IConnectionListenerFactory>();
        await using var first = await factory.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));

        var error = await Assert.ThrowsAsync<AddressInUseException>(async () => await factory.BindAsync(first.EndPoint));

        Assert.Equal(SocketError.AddressAlreadyInUse, Assert.IsType<SocketException>(error.InnerException).SocketErrorCode);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _meter.Dispose();
    }
}
