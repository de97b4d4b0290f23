using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// The one fake API of the tests: a <see cref="TestApiServer"/> on loopback and the product's own
/// <see cref="KubernetesClient"/> talking to it over HTTP, so every test goes through the same wire format, selectors,
/// patches and watch semantics that the golden transcripts check. Share one per test class and give each test its own
/// namespace (<see cref="NewNamespace"/>); count calls with <see cref="Requests"/>, inject faults with
/// <see cref="Faults"/>.
/// </summary>
public sealed class TestApi : IAsyncDisposable
{
    /// <summary>Clients of the fake do not retry by themselves: a test sees each failure it injects.</summary>
    public static readonly KubeRetryPolicy NoRetries = new() { MaxAttempts = 1 };

    private readonly List<KubernetesClient> _clients = [];
    private int _namespaces;

    private TestApi(TestApiServer server)
    {
        Server = server;
        Client = NewClient();
    }

    public TestApiServer Server { get; }

    /// <summary>A client without credentials (the server is started without a token unless configured otherwise).</summary>
    public KubernetesClient Client { get; }

    public FaultInjection Faults => Server.Faults;

    public RequestLog Requests => Server.Requests;

    /// <summary>Starts a server with <paramref name="crdYaml"/> (CRD documents) registered and options as configured.</summary>
    public static async Task<TestApi> StartAsync(Action<TestApiServerOptions>? configure = null, params string[] crdYaml)
    {
        ArgumentNullException.ThrowIfNull(crdYaml);
        var options = new TestApiServerOptions();
        configure?.Invoke(options);
        var server = new TestApiServer(options);
        await server.StartAsync().ConfigureAwait(false);
        foreach (var yaml in crdYaml)
        {
            server.LoadCrdYaml(yaml);
        }

        return new TestApi(server);
    }

    /// <summary>
    /// Another client of the same server, e.g. a second replica. A distinct <paramref name="token"/> lets a fault match
    /// its requests alone (<see cref="RecordedRequest.Authorization"/> is <c>Bearer {token}</c>).
    /// </summary>
    public KubernetesClient NewClient(string? token = null, KubeRetryPolicy? retryPolicy = null)
    {
        var client = new KubernetesClient(
            Server.ClientSettings(token ?? Server.Options.BearerToken),
            retryPolicy: retryPolicy ?? NoRetries);
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>Creates a namespace no other test of this server uses, e.g. <c>t7</c>.</summary>
    public string NewNamespace(string prefix = "t")
    {
        var name = prefix + Interlocked.Increment(ref _namespaces).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Server.EnsureNamespace(name);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        await Server.DisposeAsync().ConfigureAwait(false);
    }
}
