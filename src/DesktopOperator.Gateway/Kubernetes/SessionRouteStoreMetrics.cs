using System.Diagnostics.Metrics;

namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>
/// The SessionRoute store's instruments on the <c>DesktopOperator.Gateway</c> meter: route writes by result
/// (<c>gateway_route_writes_total{result}</c>: ok, conflict, error, coalesced — an update absorbed by a write already
/// owed) and the routes owing a write now (<c>gateway_route_writes_owed</c>). No pool, user or route labels.
/// </summary>
internal sealed class SessionRouteStoreMetrics : IDisposable
{
    public const string MeterName = "DesktopOperator.Gateway";

    public const string Ok = "ok";
    public const string Conflict = "conflict";
    public const string Error = "error";
    public const string Coalesced = "coalesced";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _writes;

    public SessionRouteStoreMetrics(Func<int> owed, IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _writes = _meter.CreateCounter<long>("gateway_route_writes", description: "SessionRoute writes by result: ok, conflict, error, or coalesced into a write already owed.");
        _meter.CreateObservableGauge("gateway_route_writes_owed", owed, description: "SessionRoutes whose newest state is not written to the API server yet.");
        foreach (var result in (string[])[Ok, Conflict, Error, Coalesced])
        {
            _writes.Add(0, new KeyValuePair<string, object?>("result", result));
        }
    }

    public void Record(string result) => _writes.Add(1, new KeyValuePair<string, object?>("result", result));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
