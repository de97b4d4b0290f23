using System.Diagnostics;
using System.Globalization;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Testing.ApiServer;
using k8s;
using k8s.Models;

namespace DesktopOperator.Benchmarks.Runtime;

/// <summary>
/// Initial sync of N pods (default 10,000) by an informer over real HTTP from an in-process <see cref="TestApiServer"/>
/// (paged LIST of 500, JSON decode, store, indexes, handlers), and the memory the synced cache retains. The server
/// runs in the same process, so the times include its own encoding; the memory figure is measured after a full GC
/// with the server's objects already allocated. Stopwatch-based, not BenchmarkDotNet: one sync is a second-scale
/// operation against a live server.
/// Run: dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- informer-http [pods] [runs] [--strip-managed-fields]
/// </summary>
internal static class InformerHttpSyncCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var pods = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var strip = args.Contains("--strip-managed-fields");
        var options = new TestApiServerOptions { GarbageCollection = false };
        for (var ns = 0; ns < 10; ns++)
        {
            options.Namespaces.Add($"tenant-{ns}");
        }

        await using var server = new TestApiServer(options);
        await server.StartAsync();
        var config = new KubeClientSettings { Host = server.BaseAddress };
        using var client = new KubernetesClient(config);
        var fill = Stopwatch.StartNew();
        await Parallel.ForAsync(0, pods, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) => await client.CreateAsync(BenchPod.Make(i), ct));
        Console.WriteLine($"created {pods} pods over HTTP in {fill.Elapsed.TotalSeconds:F1} s");

        var times = new List<double>();
        WeakReference? previousInformer = null;
        for (var run = 0; run <= runs; run++)
        {
            // The previous run's informer lingers briefly (its stopped tasks still reference it): wait until it is gone.
            for (var i = 0; i < 100 && previousInformer?.IsAlive == true; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                await Task.Delay(10);
            }

            var (elapsed, count, added, retained, informer) = await SyncOnceAsync(client, strip);
            previousInformer = informer;
            var label = run == 0 ? "warm-up" : $"run {run}";
            Console.WriteLine($"{label}: synced {count} pods ({added} adds) in {elapsed.TotalMilliseconds:F0} ms; retained {retained / 1024.0 / 1024.0:F1} MiB ({retained / pods} bytes per pod)");
            if (run > 0)
            {
                times.Add(elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        Console.WriteLine($"initial sync of {pods} pods over HTTP{(strip ? " (managedFields stripped)" : "")}: median {times[times.Count / 2]:F0} ms, min {times[0]:F0} ms, max {times[^1]:F0} ms ({runs} runs)");
        return 0;
    }

    private static V1Pod StripManagedFields(V1Pod pod)
    {
        pod.Metadata.ManagedFields = null;
        return pod;
    }

    /// <summary>One sync by a fresh informer; its own method so nothing of an earlier run is still reachable.</summary>
    private static async Task<(TimeSpan Elapsed, int Count, int Added, long Retained, WeakReference Informer)> SyncOnceAsync(KubernetesClient client, bool stripManagedFields)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var stop = new CancellationTokenSource();
        var factory = new SharedInformerFactory(client);
        var informer = factory.GetInformer(new InformerOptions<V1Pod> { Transform = stripManagedFields ? StripManagedFields : null });
        var added = 0;
        using var registration = informer.AddEventHandler(new ResourceEventHandler<V1Pod> { Added = (_, _) => added++ });
        var watch = Stopwatch.StartNew();
        await factory.StartAsync(stop.Token);
        await factory.WaitForCacheSyncAsync(CancellationToken.None);
        var elapsed = watch.Elapsed;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        var count = informer.Cache.Count;
        await stop.CancelAsync();
        await factory.WhenStoppedAsync();
        return (elapsed, count, added, retained, new WeakReference(informer));
    }
}
