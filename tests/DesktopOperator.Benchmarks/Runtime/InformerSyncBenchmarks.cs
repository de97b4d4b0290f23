using BenchmarkDotNet.Attributes;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Testing.Fakes;

namespace DesktopOperator.Benchmarks.Runtime;

/// <summary>
/// Initial sync (paged LIST of 500 → store → handlers → HasSynced) of 10,000 pods from the in-memory fake, which
/// serialises each object to JSON and back as a real client would decode it. The retained size of the synced
/// cache is printed once from GlobalSetup (lines starting "// retained").
/// Run: dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- --filter '*InformerSync*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class InformerSyncBenchmarks
{
    private const int Pods = 10_000;
    private InMemoryKubernetesClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        _client = new InMemoryKubernetesClient();
        for (var i = 0; i < Pods; i++)
        {
            _client.CreateAsync(BenchPod.Make(i), CancellationToken.None).GetAwaiter().GetResult();
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var informer = SyncAsync().GetAwaiter().GetResult();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// retained by the synced {informer.Cache.Count}-pod informer (cache + indexes): {(after - before) / 1024.0 / 1024.0:F1} MiB, {(after - before) / Pods} bytes per pod");
        GC.KeepAlive(informer);
    }

    [Benchmark(Description = "Initial sync of 10,000 pods")]
    public async Task<int> InitialSync() => (await SyncAsync()).Cache.Count;

    private async Task<Informer<BenchPod>> SyncAsync()
    {
        using var stop = new CancellationTokenSource();
        var informer = new Informer<BenchPod>(_client, new InformerOptions<BenchPod> { PageSize = 500 });
        var adds = 0;
        informer.AddEventHandler(new ResourceEventHandler<BenchPod> { Added = (_, _) => adds++ });
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None);
        await stop.CancelAsync();
        await run;
        return adds == Pods ? informer : throw new InvalidOperationException($"only {adds} adds");
    }
}
