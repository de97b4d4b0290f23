using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Kubernetes;
using DesktopOperator.Gateway.Tests.Health;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Testing.ApiServer;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Gateway.Tests.Kubernetes;

/// <summary>
/// One gateway replica's route store: its own client (optionally with its own bearer token, so a fault can match its
/// requests alone), its own SessionRoute informer on one namespace, started and synced, and its own meters.
/// </summary>
internal sealed class RouteStoreReplica : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SharedInformerFactory _informers;

    private RouteStoreReplica(SharedInformerFactory informers, SessionRouteStore store, TestMeterFactory meters, MetricRecorder metrics)
    {
        _informers = informers;
        Store = store;
        Meters = meters;
        Metrics = metrics;
    }

    public SessionRouteStore Store { get; }

    public TestMeterFactory Meters { get; }

    public MetricRecorder Metrics { get; }

    /// <param name="watchNamespace">The namespace the informer watches: another one than the routes' makes a store that
    /// learns of routes only through its own writes (to see a 409 that the watch would otherwise pre-empt).</param>
    public static async Task<RouteStoreReplica> StartAsync(
        TestApi api, string watchNamespace, string? token = null, SessionRouteStoreOptions? options = null)
    {
        var client = api.NewClient(token);
        var informers = new SharedInformerFactory(client);
        var informer = informers.GetInformer(new InformerOptions<SessionRoute>
        {
            Namespace = watchNamespace,
            InitialBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(500),
        });
        var meters = new TestMeterFactory();
        var metrics = new MetricRecorder(meters);
        var store = new SessionRouteStore(
            client, informer, TimeProvider.System, NullLogger<SessionRouteStore>.Instance, options ?? new SessionRouteStoreOptions(), meters);
        var replica = new RouteStoreReplica(informers, store, meters, metrics);
        await informers.StartAsync(replica._stop.Token);
        using var sync = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await informer.WaitForSyncAsync(sync.Token);
        return replica;
    }

    /// <summary>Writes counted by result (ok, conflict, error, coalesced) so far.</summary>
    public long Writes(string result) =>
        (long)Metrics.Of("gateway_route_writes").Where(s => s.Labels["result"] == result).Sum(s => s.Value);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await _stop.CancelAsync();
        await _informers.WhenStoppedAsync();
        Metrics.Dispose();
        Meters.Dispose();
        _stop.Dispose();
    }
}
