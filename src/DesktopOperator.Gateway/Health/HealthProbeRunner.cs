namespace DesktopOperator.Gateway.Health;

/// <summary>Runs one probe under the check's timeout, turning the timeout into <see cref="ProbeOutcome.Timeout"/>.</summary>
internal static class HealthProbeRunner
{
    /// <summary>
    /// Returns the probe's result, or <see cref="ProbeOutcome.Timeout"/> when <paramref name="timeout"/> (measured on
    /// <paramref name="timeProvider"/>) ends it first. Throws <see cref="OperationCanceledException"/> only when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static async Task<ProbeResult> RunAsync(
        IHealthProbe probe, string address, int port, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            return await probe.ProbeAsync(address, port, linked.Token);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(ProbeOutcome.Timeout, $"no answer within {timeout.TotalMilliseconds:0} ms");
        }
    }
}
