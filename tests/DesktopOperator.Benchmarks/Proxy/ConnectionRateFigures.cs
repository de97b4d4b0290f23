namespace DesktopOperator.Benchmarks.Proxy;

internal sealed record ConnectionRateFigures(double ConnectionsPerSecond, int Concurrency, long Completed, long Errors);
