using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Tcp.Accept;
using DesktopOperator.Gateway.Tests.Health;
using DesktopOperator.Testing.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace DesktopOperator.Gateway.Tests.Http;

/// <summary>The Http pools' client to their hosts: sockets through the descriptor reserve's guard.</summary>
public sealed class ReserveGuardedHttpClientFactoryTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CreateClient_ReachesARealHost_AndLeavesTheReserveWhole()
    {
        var endPoint = LoopbackPorts.GetFreeEndPoint(IPAddress.Loopback);
        await using var host = await HttpUpstream.StartAsync("desk-1", endPoint);
        using var reserve = new DescriptorReserve(2, new RecordingLogger<DescriptorReserve>());
        using var client = CreateClient(new ReserveGuardedHttpClientFactory(reserve, NullLogger<ForwarderHttpClientFactory>.Instance));

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://{endPoint}/whoami"), CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("desk-1", await response.Content.ReadAsStringAsync());
        Assert.False(reserve.IsReleased);
    }

    [Fact]
    public async Task CreateClient_HostSocketMeetsTheOpenFileLimit_ReleasesTheReserve()
    {
        using var reserve = new DescriptorReserve(2, new RecordingLogger<DescriptorReserve>());
        var factory = new ReserveGuardedHttpClientFactory(
            reserve, NullLogger<ForwarderHttpClientFactory>.Instance, _ => throw new SocketException((int)SocketError.TooManyOpenSockets));
        using var client = CreateClient(factory);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(
            () => client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:9/"), CancellationToken.None).WaitAsync(Bound));

        Assert.Equal(SocketError.TooManyOpenSockets, Assert.IsType<SocketException>(failure.InnerException).SocketErrorCode);
        Assert.True(reserve.IsReleased);
        Assert.Equal(0, reserve.Held);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AddHttpGateway_GuardsHostSocketsWhereTheTransportHoldsAReserve(bool transport)
    {
        var services = new ServiceCollection().AddLogging().AddMetrics();
        if (transport)
        {
            services.AddGatewaySocketTransport();
        }

        services.AddHttpGateway(new HttpGatewayOptions(), () => new AffinityCookieKeys([HttpProxyHarness.Secret]));
        await using var provider = services.BuildServiceProvider();

        var factory = provider.GetRequiredService<IForwarderHttpClientFactory>();

        Assert.Equal(transport ? typeof(ReserveGuardedHttpClientFactory) : typeof(ForwarderHttpClientFactory), factory.GetType());
    }

    private static HttpMessageInvoker CreateClient(IForwarderHttpClientFactory factory) =>
        factory.CreateClient(new ForwarderHttpClientContext
        {
            ClusterId = "pool",
            OldConfig = HttpClientConfig.Empty,
            OldMetadata = null,
            OldClient = null,
            NewConfig = HttpClientConfig.Empty,
            NewMetadata = null,
        });
}
