namespace DesktopOperator.Metrics.Aggregation;

/// <summary>One double updated without locks: a running sum or a last value. Thread-safe.</summary>
internal sealed class DoubleCell
{
    private double _value;

    public double Value => Volatile.Read(ref _value);

    public void Add(double delta)
    {
        var current = Volatile.Read(ref _value);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _value, current + delta, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }

    public void Set(double value) => Interlocked.Exchange(ref _value, value);
}
