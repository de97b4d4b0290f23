namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// Round trips over long-lived connections, and the proxy process's CPU time per round trip (two messages relayed):
/// with 32 connections pinging at once the proxy is busy, and the p50 follows that CPU figure.
/// </summary>
internal sealed record LatencyFigures(double P50Microseconds, double P99Microseconds, long RoundTrips, int Connections, int IncompleteConnections)
{
    public double? UserMicrosecondsPerRoundTrip { get; init; }

    public double? KernelMicrosecondsPerRoundTrip { get; init; }
}
