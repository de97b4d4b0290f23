using System.Net;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Standalone;
using DesktopOperator.Gateway.Tests.Sessions;
using DesktopOperator.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Standalone;

/// <summary>
/// What the routing layer allocates per proxied connection in standalone mode (the benchmark's configuration: file
/// store, SourceHash, affinity by client address, one returning client): decide, begin the session, end it. Measured
/// on one thread, where the file store's writes run (its files follow behind, at most once a second per route).
/// proxy-figures.md, Run 8: 1,543 B per connection before that run's changes, 1,135 after.
/// </summary>
public sealed class RouteBookkeepingAllocationTests(ITestOutputHelper output) : IDisposable
{
    private const int Connections = 2_000;

    /// <summary>
    /// The request and client address (made here as the handler makes them), the decision and its target, the key
    /// string, the session's counter and lease, and each route write's two records and version (two writes per
    /// connection); below the 1,543 B before Run 8, so the cached route list, the closure-free writes and the
    /// allocation-free change signal stay.
    /// </summary>
    private const long BytesPerConnection = 1_300;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "routes-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task ReturningClient_RouteBeginEnd_AllocatesOnlyItsAnswerAndTheRouteWrites()
    {
        using var store = new FileRouteStore(_folder, new ManualTimeProvider(T0), NullLogger<FileRouteStore>.Instance);
        using var harness = new RouterHarness(Pool(hosts: 2, sessionsPerHost: 100_000, strategy: BalancingStrategyNames.SourceHash, affinity: AffinityKey.SourceIP), store);
        string[] excluded = [];
        var client = IPAddress.Parse("127.0.0.1").GetAddressBytes();

        // The first connection makes the route (a synchronous file write); the next ones find it.
        for (var i = 0; i < 10; i++)
        {
            await ConnectAsync();
        }

        // The counter is per thread: the measure holds only if every await completed synchronously, on this thread.
        var thread = Environment.CurrentManagedThreadId;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Connections; i++)
        {
            await ConnectAsync();
        }

        var perConnection = (GC.GetAllocatedBytesForCurrentThread() - before) / Connections;
        Assert.True(thread == Environment.CurrentManagedThreadId, "an await yielded to another thread: the per-thread allocation counter measured nothing");
        output.WriteLine($"{perConnection} bytes allocated per connection by routing and route bookkeeping");
        Assert.InRange(perConnection, 1, BytesPerConnection);
        Assert.Equal(SessionRoutePhase.Disconnected, harness.Route("127.0.0.1")!.Phase);

        async Task ConnectAsync()
        {
            // A new client address and request per connection, as the handler makes them. No assertion in here (xUnit's
            // allocate and would be counted): BeginSession throws on a decision that is not Routed.
            var request = new RouteRequest(Key, "rdp", null, new IPAddress(client));
            var decision = await harness.Router.RouteAsync(request, excluded, CancellationToken.None);
            harness.Router.BeginSession(request, decision).Dispose();
        }
    }
}
