using BenchmarkDotNet.Attributes;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Testing.Fakes;

namespace DesktopOperator.Benchmarks.Runtime;

/// <summary>
/// Initial sync (paged LIST of 500 → store → handlers → HasSynced) of 10,000 pods: from the in-memory fake, which
/// serialises each object to JSON and back as a real client would decode it, and from prebuilt pages (the
/// informer's own cost: paging, store, three indexes, dispatch). The retained size of the synced
/// cache is printed once from GlobalSetup (lines starting "// retained").
/// Run: dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- --filter '*InformerSync*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class InformerSyncBenchmarks
{
    private const int Pods = 10_000;
    private InMemoryKubernetesClient _client = null!;
    private PrebuiltListClient<BenchPod> _prebuilt = null!;

    [GlobalSetup]
    public void Setup()
    {
        _client = new InMemoryKubernetesClient();
        _prebuilt = new PrebuiltListClient<BenchPod>([.. Enumerable.Range(0, Pods).Select(BenchPod.Make)]);
        for (var i = 0; i < Pods; i++)
        {
            _client.CreateAsync(BenchPod.Make(i), CancellationToken.None).GetAwaiter().GetResult();
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var informer = SyncAsync(_client).GetAwaiter().GetResult();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// retained by the synced {informer.Cache.Count}-pod informer (cache + indexes): {(after - before) / 1024.0 / 1024.0:F1} MiB, {(after - before) / Pods} bytes per pod");
        GC.KeepAlive(informer);
    }

    [Benchmark(Description = "Initial sync of 10,000 pods from the fake (JSON decode included)")]
    public async Task<int> InitialSyncFromFake() => (await SyncAsync(_client)).Cache.Count;

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
