using System.Diagnostics;
using System.Globalization;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Testing.ApiServer;
using k8s;
using k8s.Models;

namespace DesktopOperator.Benchmarks.Runtime;

/// <summary>
/// Watch decoding, ours against the package's: one watch over HTTP from an in-process <see cref="TestApiServer"/>
/// replays N pod ADDED events (from the resourceVersion before they were created), decoded either by our
/// <see cref="KubernetesClient.WatchAsync{T}"/> (WatchStreamDecoder) or by KubernetesClient's
/// <c>WatchListPodForAllNamespacesAsync</c> (with onError rethrowing), in
/// alternating runs. Allocations are the process's (server included: the same for both decoders).
/// Run: dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- watch-decode [events] [runs]
/// </summary>
internal static class WatchDecodeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var options = new TestApiServerOptions { GarbageCollection = false, HistoryWindow = events + 1_000 };
        for (var ns = 0; ns < 10; ns++)
        {
            options.Namespaces.Add($"tenant-{ns}");
        }

        await using var server = new TestApiServer(options);
        await server.StartAsync();
        var config = new KubeClientSettings { Host = server.BaseAddress };
        using var client = new KubernetesClient(config);
        using var kubernetes = KubernetesFactory.Create(config);
        var from = (await client.ListAsync<V1Pod>(null, new ListOptions { Limit = 1 }, CancellationToken.None)).Metadata.ResourceVersion!;
        await Parallel.ForAsync(0, events, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) => await client.CreateAsync(BenchPod.Make(i), ct));

        var ours = new List<(double Ms, double Bytes)>();
        var package = new List<(double Ms, double Bytes)>();
        for (var run = 0; run <= runs; run++)
        {
            var a = await MeasureAsync(() => OursAsync(client, from, events));
            var b = await MeasureAsync(() => PackageAsync(kubernetes, from, events));
            Console.WriteLine($"{(run == 0 ? "warm-up" : $"run {run}")}: ours {a.Ms:F0} ms {a.Bytes / events:F0} B/event; package {b.Ms:F0} ms {b.Bytes / events:F0} B/event");
            if (run > 0)
            {
                ours.Add(a);
                package.Add(b);
            }
        }

        Console.WriteLine($"watch of {events} pod events: ours median {Median(ours, x => x.Ms):F0} ms, {Median(ours, x => x.Bytes) / events:F0} B/event; " +
            $"package median {Median(package, x => x.Ms):F0} ms, {Median(package, x => x.Bytes) / events:F0} B/event ({runs} runs)");
        return 0;
    }

    private static async Task<(double Ms, double Bytes)> MeasureAsync(Func<Task<int>> watch)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await watch();
        return (clock.Elapsed.TotalMilliseconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    private static async Task<int> OursAsync(KubernetesClient client, string from, int events)
    {
        using var stop = new CancellationTokenSource();
        var count = 0;
        await foreach (var e in client.WatchAsync<V1Pod>(null, new WatchOptions { ResourceVersion = from, AllowBookmarks = false }, stop.Token))
        {
            if (e.Resource.Metadata.Name is not null && ++count == events)
            {
                await stop.CancelAsync();
            }
        }

        return count;
    }

    private static async Task<int> PackageAsync(Kubernetes kubernetes, string from, int events)
    {
        using var stop = new CancellationTokenSource();
        var count = 0;
        try
        {
            var watch = kubernetes.CoreV1.WatchListPodForAllNamespacesAsync(
                allowWatchBookmarks: false, resourceVersion: from, onError: e => throw e, cancellationToken: stop.Token);
            await foreach (var (_, pod) in watch)
            {
                if (pod.Metadata.Name is not null && ++count == events)
                {
                    await stop.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped after the last event.
        }

        return count;
    }

    private static double Median<T>(List<T> values, Func<T, double> of)
    {
        var sorted = values.Select(of).Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
