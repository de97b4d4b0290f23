namespace DesktopOperator.Benchmarks.Proxy;

/// <param name="ResidentHalfway">Resident memory once the first half of the connections was held (settled).</param>
/// <param name="HeldHalfway">Connections held at that point.</param>
internal sealed record IdleMemoryFigures(int Connections, long ResidentBefore, long ResidentAfter, int Failed, long ResidentHalfway = 0, int HeldHalfway = 0)
{
    /// <summary>The whole growth over the connections held, one-off costs (code compiled, pools filled) included.</summary>
    public double BytesPerConnection => Connections > 0 ? (ResidentAfter - ResidentBefore) / (double)Connections : double.NaN;

    /// <summary>
    /// The growth over the second half only: what one more idle connection costs once the process has served the
    /// first half (its code compiled, its pools and threads in place).
    /// </summary>
    public double MarginalBytesPerConnection =>
        Connections > HeldHalfway && HeldHalfway > 0 ? (ResidentAfter - ResidentHalfway) / (double)(Connections - HeldHalfway) : double.NaN;
}
