namespace DesktopOperator.Benchmarks.Proxy;

internal sealed record IdleMemoryFigures(int Connections, long ResidentBefore, long ResidentAfter, int Failed)
{
    public double BytesPerConnection => Connections > 0 ? (ResidentAfter - ResidentBefore) / (double)Connections : double.NaN;
}
