using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Gateway.Tests.Routing;

/// <summary>Properties over thousands of generated scenarios; each case reproduces from (seed, case number).</summary>
public sealed class RoutingEnginePropertyTests
{
    private const int Seed = 20261122;
    private const int Cases = 5000;

    [Fact]
    public void Decide_NewRoute_OnlyUsableHostWithFreeSlot()
    {
        ForEachScenario((scenario, decision) =>
        {
            if (decision is { Result: RoutingResult.Routed, NewRoute: true })
            {
                Assert.True(scenario.Fits(decision.Host!.Name), $"picked {decision.Host.Name}, which does not fit");
            }
        });
    }

    [Fact]
    public void Decide_ExistingRoute_OnlyItsHostWhileUsable()
    {
        ForEachScenario((scenario, decision) =>
        {
            if (decision is { Result: RoutingResult.Routed, NewRoute: false })
            {
                Assert.Equal(scenario.LiveRoute?.Host, decision.Host!.Name);
                Assert.True(scenario.UsableForExisting(decision.Host.Name));
            }
        });
    }

    [Fact]
    public void Decide_NotRouted_OnlyWhenNoHostFits()
    {
        ForEachScenario((scenario, decision) =>
        {
            var explicitChoice = scenario.Request.RequestedHost is not null || scenario.LiveRoute is { Pinned: true };
            if (decision.Result is RoutingResult.Queued or RoutingResult.RejectedFull or RoutingResult.RejectedNoHealthyHost
                && !explicitChoice && !scenario.UserAtLimit)
            {
                Assert.DoesNotContain(scenario.Pool.Hosts, h => scenario.Fits(h.Name));
            }

            if (decision.Result == RoutingResult.RejectedNoHealthyHost && !explicitChoice)
            {
                Assert.DoesNotContain(scenario.Pool.Hosts, h => scenario.UsableForNew(h.Name));
            }
        });
    }

    [Fact]
    public void Decide_KnownKeyWithUsableHost_AlwaysThatHost()
    {
        var checkedCases = 0;
        ForEachScenario((scenario, decision) =>
        {
            if (scenario.LiveRoute is { } route && scenario.UsableForExisting(route.Host!) && scenario.Request.RequestedHost is null
                && !scenario.UserAtLimit && scenario.Pool.Admits(scenario.Request.User, null))
            {
                checkedCases++;
                Assert.Equal(RoutingResult.Routed, decision.Result);
                Assert.Equal(route.Host, decision.Host!.Name);
                Assert.False(decision.NewRoute);
            }
        });

        Assert.True(checkedCases > Cases / 20, $"only {checkedCases} cases had a known key");
    }

    [Fact]
    public void Decide_SameStateAndSeed_SameDecision()
    {
        var rng = new Random(Seed);
        for (var i = 0; i < Cases; i++)
        {
            var scenario = ScenarioGenerator.Next(rng);
            var stateSeed = rng.Next();

            // Three decisions in a row from each of two identical states: the whole sequence must agree, which
            // also covers round-robin positions and random draws advancing the same way.
            var a = new BalancingState(new Random(stateSeed));
            var b = new BalancingState(new Random(stateSeed));
            for (var step = 0; step < 3; step++)
            {
                Assert.Equal(Decide(scenario, a), Decide(scenario, b));
            }
        }
    }

    [Fact]
    public void Decide_SequenceAppliedToRoutes_NeverExceedsCapacity()
    {
        var rng = new Random(Seed + 1);
        for (var run = 0; run < 300; run++)
        {
            var pool = ScenarioGenerator.NextPool(rng);
            var health = new TestHealthView();
            var state = new BalancingState(new Random(rng.Next()));
            var routes = new Dictionary<string, RouteRecord>();
            for (var step = 0; step < 60; step++)
            {
                foreach (var host in pool.Hosts)
                {
                    if (rng.Next(10) == 0)
                    {
                        health.Set(pool.Key, host.Name, (Gateway.Health.HostHealth)rng.Next(3));
                    }
                }

                var request = ScenarioGenerator.NextRequest(rng, pool);
                var decision = RoutingEngine.Decide(pool, [.. routes.Values], health, request, [], state);
                if (decision is { Result: RoutingResult.Routed, NewRoute: true, Host: { } target, RouteKey: { } key })
                {
                    routes[key] = TestPools.Route(key, target.Name, SessionRoutePhase.Bound, 0);
                }

                // Some sessions end for good: their slots free up.
                if (routes.Count > 0 && rng.Next(4) == 0)
                {
                    routes.Remove(routes.Keys.ElementAt(rng.Next(routes.Count)));
                }

                foreach (var host in pool.Hosts)
                {
                    Assert.True(routes.Values.Count(r => r.Host == host.Name) <= pool.SessionsPerHost, $"run {run} step {step}: {host.Name} over capacity");
                }
            }
        }
    }

    private static void ForEachScenario(Action<Scenario, RoutingDecision> check)
    {
        var rng = new Random(Seed);
        for (var i = 0; i < Cases; i++)
        {
            var scenario = ScenarioGenerator.Next(rng);
            var decision = Decide(scenario, new BalancingState(new Random(i)));
            try
            {
                check(scenario, decision);
            }
            catch (Exception ex) when (ex is Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException($"case {i} (seed {Seed}): {decision.Result} '{decision.Reason}': {ex.Message}");
            }
        }
    }

    private static RoutingDecision Decide(Scenario scenario, BalancingState state) =>
        RoutingEngine.Decide(scenario.Pool, scenario.Routes, scenario.Health, scenario.Request, scenario.Excluded, state);
}
