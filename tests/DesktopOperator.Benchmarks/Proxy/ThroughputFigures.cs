namespace DesktopOperator.Benchmarks.Proxy;

internal sealed record ThroughputFigures(double MebibytesPerSecond, int Streams, TimeSpan Elapsed, int FailedStreams);
