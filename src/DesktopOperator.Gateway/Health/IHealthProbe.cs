namespace DesktopOperator.Gateway.Health;

/// <summary>
/// One active check against one address. Implementations read a bounded number of bytes and return a result for
/// anything the peer does; they never wait beyond the cancellation token, which carries the check's
/// timeout, and surface its cancellation as <see cref="OperationCanceledException"/>. Stateless and thread-safe.
/// </summary>
internal interface IHealthProbe
{
    /// <summary>A <see cref="HealthProbeNames"/> constant; the <c>kind</c> label of probe metrics.</summary>
    string Name { get; }

    Task<ProbeResult> ProbeAsync(string address, int port, CancellationToken cancellationToken);
}
