using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Sessions;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Sessions;

/// <summary>The sweep and a connection writing one route at once: conditional writes instead of a shared lock.</summary>
public sealed class RouteExpiryRaceTests
{
    private static readonly TimeSpan ResumeFor = TimeSpan.FromHours(1);

    [Fact]
    public async Task SweepAsync_ConnectionBeginsBetweenDecidingAndExpiring_ConflictsAndKeepsTheRoute()
    {
        var store = new InterposingStore();
        using var harness = new RouterHarness(Pool(), store);
        var alice = await harness.RouteAsync(Request("alice"));
        harness.Router.BeginSession(Request("alice"), alice).Dispose();
        harness.Time.Advance(ResumeFor);
        IDisposable? session = null;

        // The sweep decided Expire on the idle route; alice connects before its write lands.
        store.BeforeExpire = () => session = harness.Router.BeginSession(Request("alice"), alice);
        var changed = await harness.Expiry.SweepAsync(CancellationToken.None);

        using (session)
        {
            Assert.Equal(0, changed);
            Assert.Equal((SessionRoutePhase.Active, 1, alice.Host!.Name), (harness.Route("alice")?.Phase, harness.Route("alice")?.ActiveConnections, harness.Route("alice")?.Host));
            Assert.Equal(1, store.Conflicts);
        }
    }

    /// <summary>An in-memory store that runs <see cref="BeforeExpire"/> once, just before the first write of an Expired phase.</summary>
    private sealed class InterposingStore : IRouteStore
    {
        private readonly InMemoryRouteStore _inner = new();

        public event EventHandler? Changed
        {
            add => _inner.Changed += value;
            remove => _inner.Changed -= value;
        }

        public Action? BeforeExpire { get; set; }

        public int Conflicts { get; private set; }

        public RouteRecord? Find(string pool, string key) => _inner.Find(pool, key);

        public IReadOnlyList<RouteRecord> List(string pool) => _inner.List(pool);

        public IReadOnlyCollection<string> PoolsWithRoutes() => _inner.PoolsWithRoutes();

        public ValueTask<RouteCreation> CreateAsync(RouteRecord route, CancellationToken cancellationToken) => _inner.CreateAsync(route, cancellationToken);

        public async ValueTask<RouteRecord> UpdateAsync(RouteRecord route, CancellationToken cancellationToken)
        {
            if (route.Phase == SessionRoutePhase.Expired && BeforeExpire is { } interpose)
            {
                BeforeExpire = null;
                interpose();
            }

            try
            {
                return await _inner.UpdateAsync(route, cancellationToken);
            }
            catch (RouteConflictException)
            {
                Conflicts++;
                throw;
            }
        }

        public ValueTask DeleteAsync(RouteRecord route, CancellationToken cancellationToken) => _inner.DeleteAsync(route, cancellationToken);
    }
}
