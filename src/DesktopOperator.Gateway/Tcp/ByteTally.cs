using System.Diagnostics.Metrics;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// Counts one direction's bytes locally and adds them to the byte counter in batches (every
/// <see cref="FlushBytes"/>, every <see cref="FlushInterval"/> of a busy connection, and at the end), so the copy
/// loop makes no instrument call per read. Used by one pump loop at a time: not thread-safe.
/// </summary>
internal sealed class ByteTally(Counter<long> counter, KeyValuePair<string, object?>[] tags, TimeProvider timeProvider)
{
    public const long FlushBytes = 1 << 20;

    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(10);

    private long _pending;
    private long _lastFlush = timeProvider.GetTimestamp();

    public long Total { get; private set; }

    public void Add(int bytes)
    {
        _pending += bytes;
        Total += bytes;
        if (_pending >= FlushBytes || timeProvider.GetElapsedTime(_lastFlush) >= FlushInterval)
        {
            Flush();
        }
    }

    public void Flush()
    {
        _lastFlush = timeProvider.GetTimestamp();
        if (_pending > 0)
        {
            counter.Add(_pending, tags);
            _pending = 0;
        }
    }
}
