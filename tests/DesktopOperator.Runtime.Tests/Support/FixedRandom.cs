namespace DesktopOperator.Runtime.Tests.Support;

/// <summary>A Random whose NextDouble is always the given value (no jitter), counting calls.</summary>
public sealed class FixedRandom(double value) : Random
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public override double NextDouble()
    {
        Interlocked.Increment(ref _calls);
        return value;
    }

    protected override double Sample() => value;
}
