namespace DesktopOperator.Benchmarks.Proxy;

internal sealed record LatencyFigures(double P50Microseconds, double P99Microseconds, long RoundTrips, int Connections, int IncompleteConnections);
