using DesktopOperator.Testing.ApiServer;

namespace DesktopOperator.IntegrationTests.Conformance;

/// <summary>The conformance target backed by an in-process <see cref="TestApiServer"/> (GC on, as in a real cluster).</summary>
public sealed class TestApiServerTarget : ConformanceTarget
{
    private readonly TestApiServer _server;

    private TestApiServerTarget(TestApiServer server) => _server = server;

    public override Uri BaseAddress => _server.BaseAddress;

    public static async Task<TestApiServerTarget> StartAsync(CancellationToken cancellationToken)
    {
        var server = new TestApiServer(new TestApiServerOptions { BearerToken = "conformance-token" });
        await server.StartAsync(cancellationToken);
        return new TestApiServerTarget(server);
    }

    public override HttpMessageHandler CreateHandler() => new BearerHandler("conformance-token");

    protected override ValueTask DisposeCoreAsync() => _server.DisposeAsync();

    private sealed class BearerHandler(string token) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
