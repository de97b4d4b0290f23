using System.Globalization;
using DesktopOperator.Controllers.Pools;
using Xunit.Abstractions;

namespace DesktopOperator.Controllers.Tests.Pools;

/// <summary>
/// Thousands of random steps (sessions start, end, disconnect and resume; hosts start, fail, get cordoned; the
/// template changes; time passes) with the planner's plan applied after each, as the reconciler would. After every
/// step: no host with a bound route was deleted (except a failed pod, which is gone anyway), the pool never serves
/// fewer than minHosts nor more than maxHosts + surge. The seed is printed; set CHURN_SEED to replay one.
/// </summary>
public sealed class ScalePlannerChurnTests(ITestOutputHelper output)
{
    [Fact]
    public void Plan_RandomChurn_NoBusyHostEverDeleted()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CHURN_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        output.WriteLine($"churn seed {seed} (replay with CHURN_SEED={seed})");
        var sim = new ChurnSimulation(seed);

        for (var step = 0; step < 5000; step++)
        {
            sim.RandomStep();
            var violation = sim.Reconcile();
            Assert.True(violation is null, $"seed {seed}, step {step}: {violation}");
        }

        output.WriteLine(sim.Summary());
        Assert.True(sim.Deleted > 0 && sim.Created > 0, $"seed {seed}: the churn neither created nor deleted hosts: {sim.Summary()}");
    }
}
