using DesktopOperator.Testing.ApiServer;

namespace DesktopOperator.IntegrationTests.ApiServer;

/// <summary>A started TestApiServer with the Widget CRD and namespace "t", plus a client; disposed by the test.</summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    private ServerFixture(TestApiServer server)
    {
        Server = server;
        Client = server.CreateClient();
    }

    public TestApiServer Server { get; }

    public HttpClient Client { get; }

    public static async Task<ServerFixture> StartAsync(Action<TestApiServerOptions>? configure = null)
    {
        var options = new TestApiServerOptions();
        options.Namespaces.Add("t");
        configure?.Invoke(options);
        var server = new TestApiServer(options);
        await server.StartAsync();
        server.RegisterCrd(TranscriptReplayer.WidgetCrd());
        return new ServerFixture(server);
    }

    /// <summary>
    /// A server on a manual clock, its own periodic controllers off so that the clock's active timers are the
    /// requests' (tests wait for a watch to arm its timer before advancing).
    /// </summary>
    public static Task<ServerFixture> StartOnClockAsync(TimeProvider clock, Action<TestApiServerOptions>? configure = null) =>
        StartAsync(o =>
        {
            o.TimeProvider = clock;
            o.NodeAndDisruptionControllers = false;
            configure?.Invoke(o);
        });

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
