using System.Diagnostics.Metrics;
using DesktopOperator.Api.V1Alpha1;

namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// <c>operator_pool_decisions_total</c>: every host decision the pool controller carried out, by decision
/// (<c>create</c>, <c>drain</c>, <c>undrain</c>, <c>delete</c>) and reason, counted where its Event is recorded, so
/// the metric and the Events agree. Without a meter (tests, benchmarks) nothing is counted.
/// </summary>
internal sealed class PoolDecisions(Counter<long>? counter)
{
    public const string Name = "operator_pool_decisions";

    /// <summary>A create's reason: the pool has fewer serving hosts than desired (scale-up, surge or replacement).</summary>
    public const string BelowDesired = "BelowDesired";

    /// <summary>An undrain's reason: sessions grew back before the host drained.</summary>
    public const string SessionsGrew = "SessionsGrew";

    public static PoolDecisions None { get; } = new(null);

    public static PoolDecisions On(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        return new(meter.CreateCounter<long>(Name, description: "Host decisions carried out by the pool controller, by decision (create, drain, undrain, delete) and reason."));
    }

    public void Count(DesktopPool pool, string decision, string reason) =>
        counter?.Add(
            1,
            new KeyValuePair<string, object?>("namespace", pool.Metadata.NamespaceProperty ?? ""),
            new KeyValuePair<string, object?>("pool", pool.Metadata.Name),
            new KeyValuePair<string, object?>("decision", decision),
            new KeyValuePair<string, object?>("reason", reason));
}
