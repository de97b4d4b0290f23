using System.Collections.Concurrent;
using DesktopOperator.Gateway.Health;

namespace DesktopOperator.Gateway.Tests.Routing;

/// <summary>Health set by the test; passive reports are recorded. Shared by routing and session tests.</summary>
internal sealed class TestHealthView : IHostHealthView
{
    private readonly ConcurrentDictionary<(string Pool, string Host), HostHealth> _health = new();

    public event EventHandler<HostHealthChangedEventArgs>? HealthChanged;

    public ConcurrentQueue<(string Pool, string Host, bool Success)> Reports { get; } = new();

    public HostHealth GetHealth(string pool, string host) => _health.GetValueOrDefault((pool, host), HostHealth.Unknown);

    public void Set(string pool, string host, HostHealth health)
    {
        var previous = GetHealth(pool, host);
        _health[(pool, host)] = health;
        HealthChanged?.Invoke(this, new HostHealthChangedEventArgs(pool, host, previous, health));
    }

    public void ReportConnectFailure(string pool, string host) => Reports.Enqueue((pool, host, false));

    public void ReportConnectSuccess(string pool, string host) => Reports.Enqueue((pool, host, true));
}
