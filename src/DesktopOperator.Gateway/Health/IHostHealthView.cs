namespace DesktopOperator.Gateway.Health;

/// <summary>
/// Health of every host, from active checks (per pool <c>spec.healthCheck</c>) and passive reports (connect
/// outcomes seen by the proxies). Reads never block. Thread-safe.
/// </summary>
internal interface IHostHealthView
{
    HostHealth GetHealth(string pool, string host);

    /// <summary>Passive check: a proxy's connect to the host failed or timed out.</summary>
    void ReportConnectFailure(string pool, string host);

    /// <summary>Passive check: a proxy's connect to the host succeeded.</summary>
    void ReportConnectSuccess(string pool, string host);

    /// <summary>Raised after a host's health flips.</summary>
    event EventHandler<HostHealthChangedEventArgs>? HealthChanged;
}
