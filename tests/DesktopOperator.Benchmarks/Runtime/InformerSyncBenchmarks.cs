using BenchmarkDotNet.Attributes;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Testing.ApiServer;

namespace DesktopOperator.Benchmarks.Runtime;

/// <summary>
/// Initial sync (paged LIST of 500 → store → handlers → HasSynced) of 10,000 pods: from the test API server over
/// loopback HTTP with the product's client (the server's encoding, in the same process, is included), and from
/// prebuilt pages (the informer's own cost: paging, store, three indexes, dispatch). The retained size of the synced
/// cache is printed once from GlobalSetup (lines starting "// retained").
/// Run: dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- --filter '*InformerSync*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class InformerSyncBenchmarks
{
    private const int Pods = 10_000;
    private TestApi _api = null!;
    private PrebuiltListClient<BenchPod> _prebuilt = null!;

    [GlobalSetup]
    public void Setup()
    {
        _api = TestApi.StartAsync(o =>
        {
            o.GarbageCollection = false;
            o.NodeAndDisruptionControllers = false;
            for (var ns = 0; ns < 10; ns++)
            {
                o.Namespaces.Add($"tenant-{ns}");
            }
        }).GetAwaiter().GetResult();
        _prebuilt = new PrebuiltListClient<BenchPod>([.. Enumerable.Range(0, Pods).Select(BenchPod.Make)]);
        Parallel.ForAsync(0, Pods, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) => await _api.Client.CreateAsync(BenchPod.Make(i), ct))
            .GetAwaiter().GetResult();

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var informer = SyncAsync(_api.Client).GetAwaiter().GetResult();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// retained by the synced {informer.Cache.Count}-pod informer (cache + indexes): {(after - before) / 1024.0 / 1024.0:F1} MiB, {(after - before) / Pods} bytes per pod");
        GC.KeepAlive(informer);
    }

    [GlobalCleanup]
    public void Cleanup() => _api.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "Initial sync of 10,000 pods from the test API server over HTTP (JSON decode included)")]
    public async Task<int> InitialSyncFromTestApiServer() => (await SyncAsync(_api.Client)).Cache.Count;

    [Benchmark(Description = "Initial sync of 10,000 prebuilt pods (informer only)")]
    public async Task<int> InitialSyncPrebuilt() => (await SyncAsync(_prebuilt)).Cache.Count;

    private static async Task<Informer<BenchPod>> SyncAsync(DesktopOperator.Kube.Client.IKubernetesClient client)
    {
        using var stop = new CancellationTokenSource();
        var informer = new Informer<BenchPod>(client, new InformerOptions<BenchPod> { PageSize = 500 });
        var adds = 0;
        informer.AddEventHandler(new ResourceEventHandler<BenchPod> { Added = (_, _) => adds++ });
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None);
        await stop.CancelAsync();
        await run;
        return adds == Pods ? informer : throw new InvalidOperationException($"only {adds} adds");
    }
}
