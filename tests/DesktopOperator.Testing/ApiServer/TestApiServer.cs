using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using DesktopOperator.Testing.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// An in-process stand-in for kube-apiserver 1.24 on 127.0.0.1 (free port, plain HTTP or HTTPS; see
/// <see cref="TestApiServerOptions.ListenEndPoint"/> and <see cref="TestApiServerOptions.Tls"/>), faithful to the golden
/// transcripts in <c>shared/kube-api-reference</c> except for what KNOWN-DIFFERENCES.md lists. Serves namespaces,
/// pods, services, service accounts, config maps, secrets, events (core and events.k8s.io), leases, CRDs and the
/// custom resources they define. Thread-safe; every write is serialised like an etcd transaction.
/// </summary>
public sealed partial class TestApiServer : IAsyncDisposable
{
    private const string FieldManager = "test-api-server";
    private readonly ServerState _state;
    private readonly ObjectHandlers _objects;
    private WebApplication? _app;
    private GarbageCollector? _gc;
    private ControllerManager? _controllers;
    private readonly TestCertificateAuthority? _ownedCa;
    private readonly X509Certificate2? _ownedServingCertificate;
    private readonly X509Certificate2? _servingCertificate;
    private RequestPipeline? _pipeline;

    public TestApiServer(TestApiServerOptions? options = null)
    {
        _state = new ServerState(options ?? new TestApiServerOptions());
        _objects = new ObjectHandlers(_state);
        if (_state.Options.Tls is { } tls)
        {
            CertificateAuthority = tls.CertificateAuthority ?? (_ownedCa = new TestCertificateAuthority("test-api-server CA"));
            _servingCertificate = tls.ServingCertificate ?? (_ownedServingCertificate = CertificateAuthority.Issue("127.0.0.1"));
            _state.RootCaPem = CertificateAuthority.CertificatePem;
        }
    }

    /// <summary>The user <see cref="TestApiServerOptions.BearerToken"/> authenticates (<see cref="RecordedRequest.User"/>).</summary>
    public const string TokenUser = "test-api-server-admin";

    /// <summary>What ConfigMap <c>kube-root-ca.crt</c> holds when the server speaks plain HTTP (with TLS: the cluster CA).</summary>
    public const string RootCaPlaceholder = "-----BEGIN CERTIFICATE-----\nTestApiServer has no CA: it serves plain HTTP on loopback\n-----END CERTIFICATE-----\n";

    public TestApiServerOptions Options => _state.Options;

    /// <summary>The cluster CA when serving HTTPS (it signs the serving and client certificates), else null.</summary>
    public TestCertificateAuthority? CertificateAuthority { get; }

    /// <summary>The server name (SNI) of every TLS handshake, in order, failed ones too; empty when a client sent none (an IP).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> TlsServerNames { get; } = new();

    /// <summary>e.g. <c>http://127.0.0.1:41234/</c> or <c>https://…</c>; valid after <see cref="StartAsync"/>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>
    /// What the controller stand-ins last failed on (garbage collector first; null: nothing failed), for a test that
    /// waited on them in vain to say why.
    /// </summary>
    public string? ControllerError => _gc?.LastError?.ToString() ?? _controllers?.LastError;

    public FaultInjection Faults => _state.Faults;

    /// <summary>The requests served or answered from a script so far (not those a failure rule or outage answered).</summary>
    public RequestLog Requests => _state.Requests;

    /// <summary>The newest resourceVersion handed out.</summary>
    public long CurrentResourceVersion => _state.Store.CurrentRv;

    /// <summary>How many changes stay replayable for watches (can be changed while running).</summary>
    public int HistoryWindow
    {
        get => _state.Store.HistoryWindow;
        set => _state.Store.HistoryWindow = value;
    }

    /// <summary>Forgets the change history: a watch or exact list from any earlier resourceVersion now gets 410.</summary>
    public void CompactHistory() => _state.Store.Compact();

    /// <summary>
    /// Like etcd compaction alone: exact or paged lists from any earlier resourceVersion get 410, while watches still
    /// resume from the watch history (the real server's watch cache outlives compaction).
    /// </summary>
    public void CompactStorage() => _state.Store.CompactStorage();

    /// <summary>A started server with the options as <paramref name="configure"/> sets them; the caller disposes it.</summary>
    public static async Task<TestApiServer> StartNewAsync(Action<TestApiServerOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var options = new TestApiServerOptions();
        configure?.Invoke(options);
        var server = new TestApiServer(options);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(Options.ListenEndPoint, listen =>
        {
            if (Options.Tls is { } tls)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificateSelector = (_, name) =>
                    {
                        TlsServerNames.Enqueue(name ?? string.Empty);
                        return _servingCertificate;
                    },
                    // Ask for a certificate, take any: Authentication verifies it and answers 401, as kube-apiserver does.
                    ClientCertificateMode = tls.ClientCertificates ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.NoCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }
        }));
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(2));
        _app = builder.Build();
        _app.Run(context => _pipeline!.HandleAsync(context));
        foreach (var ns in Options.Namespaces)
        {
            EnsureNamespace(ns);
        }

        if (Options.NodeAndDisruptionControllers)
        {
            EnsureNamespace("kube-node-lease"); // where kubelets keep their heartbeat Leases
        }

        foreach (var file in Options.CrdFiles)
        {
            LoadCrdFile(file);
        }

        if (Options.GarbageCollection)
        {
            _gc = new GarbageCollector(_state);
            _state.Store.Committed += _gc.Signal;
        }

        if (Options.NodeAndDisruptionControllers)
        {
            _controllers = new ControllerManager(_state, _objects);
            _state.Store.Committed += _controllers.Signal;
        }

        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        var clientCa = Options.Tls is { ClientCertificates: true } ? CertificateAuthority!.Certificate : null;
        _pipeline = new RequestPipeline(_state, _objects, new WatchHandler(_state), new Authentication(_state, clientCa), BaseAddress.Authority);
    }

    /// <summary>Creates the namespace (with its default ServiceAccount when enabled) unless it exists.</summary>
    public void EnsureNamespace(string name)
    {
        if (_state.Store.Get("namespaces", name) is not null)
        {
            return;
        }

        var type = _state.Registry.Find(string.Empty, "v1", "namespaces")!;
        var obj = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };
        _objects.Create(new WriteContext(type, null, null, null, FieldManager, _state.NowText(), false), obj);
    }

    /// <summary>Registers a CRD (YAML or JSON text, one or more documents) as if POSTed; it is served at once.</summary>
    public void LoadCrdYaml(string yaml)
    {
        foreach (var doc in ManifestJson.ParseAll(yaml).OfType<JsonObject>())
        {
            RegisterCrd(doc);
        }
    }

    public void LoadCrdFile(string path) => LoadCrdYaml(File.ReadAllText(path));

    public void RegisterCrd(JsonObject crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var type = _state.Registry.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
        _objects.Create(new WriteContext(type, null, null, null, FieldManager, _state.NowText(), false), crd.DeepClone().AsObject());
    }

    public async ValueTask DisposeAsync()
    {
        _state.Store.Committed = null;
        if (_gc is not null)
        {
            await _gc.DisposeAsync().ConfigureAwait(false);
        }

        if (_controllers is not null)
        {
            await _controllers.DisposeAsync().ConfigureAwait(false);
        }

        if (_app is not null)
        {
            Faults.Clear();
            Faults.DropWatches();
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _ownedServingCertificate?.Dispose();
        _ownedCa?.Dispose();
    }
}
