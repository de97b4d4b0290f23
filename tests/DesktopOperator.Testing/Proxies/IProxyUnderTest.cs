namespace DesktopOperator.Testing.Proxies;

/// <summary>
/// A TCP proxy the end-to-end tests and the side-by-side benchmark can put between clients and hosts: HAProxy,
/// socat, or our gateway in standalone mode. Plugging another proxy in is one implementation of this interface.
/// </summary>
public interface IProxyUnderTest
{
    /// <summary>A short name for tables and logs ("haproxy", "gateway").</summary>
    string Name { get; }

    /// <summary>Starts the proxy for <paramref name="setup"/> and returns once its listener accepts connections.</summary>
    Task<RunningProxy> StartAsync(ProxySetup setup, CancellationToken cancellationToken);
}
