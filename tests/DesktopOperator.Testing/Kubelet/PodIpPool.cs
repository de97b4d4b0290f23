using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.Testing.Kubelet;

/// <summary>
/// The pod addresses of one simulated node: an inclusive IPv4 range (e.g. <c>127.0.0.21-127.0.0.40</c>) handed out
/// lowest free first, one per pod key, and given back when the pod is gone. Addresses ending in .0 or .255 are skipped.
/// Thread-safe.
/// </summary>
public sealed class PodIpPool
{
    private readonly uint _first;
    private readonly uint _last;
    private readonly Dictionary<string, uint> _byPod = new(StringComparer.Ordinal);
    private readonly SortedSet<uint> _used = [];
    private readonly Lock _gate = new();

    public PodIpPool(IPAddress first, IPAddress last)
    {
        _first = ToNumber(first);
        _last = ToNumber(last);
        if (_last < _first)
        {
            throw new ArgumentException($"the range {first}-{last} is empty: its end is below its start", nameof(last));
        }
    }

    /// <summary>The range as written, e.g. <c>127.0.0.21-127.0.0.40</c>.</summary>
    public override string ToString() => $"{ToAddress(_first)}-{ToAddress(_last)}";

    /// <summary>Parses <c>FIRST-LAST</c> (or one address); throws <see cref="FormatException"/> saying why.</summary>
    public static PodIpPool Parse(string range)
    {
        ArgumentNullException.ThrowIfNull(range);
        var parts = range.Split('-', 2, StringSplitOptions.TrimEntries);
        if (!IPAddress.TryParse(parts[0], out var first) || !IPAddress.TryParse(parts[^1], out var last)
            || first.AddressFamily != AddressFamily.InterNetwork || last.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new FormatException($"'{range}' is not an IPv4 range FIRST-LAST (e.g. 127.0.0.21-127.0.0.40)");
        }

        return ToNumber(last) >= ToNumber(first)
            ? new PodIpPool(first, last)
            : throw new FormatException($"the range {range} is empty: its end is below its start");
    }

    /// <summary>The address of <paramref name="podKey"/> (the same one on every call), or null when all are taken.</summary>
    public string? Allocate(string podKey)
    {
        lock (_gate)
        {
            if (_byPod.TryGetValue(podKey, out var held))
            {
                return ToAddress(held);
            }

            for (var candidate = _first; candidate <= _last && candidate >= _first; candidate++)
            {
                if ((candidate & 0xFF) is 0 or 0xFF || _used.Contains(candidate))
                {
                    continue;
                }

                _used.Add(candidate);
                _byPod[podKey] = candidate;
                return ToAddress(candidate);
            }

            return null;
        }
    }

    /// <summary>Gives the address of <paramref name="podKey"/> back (nothing when it holds none).</summary>
    public void Release(string podKey)
    {
        lock (_gate)
        {
            if (_byPod.Remove(podKey, out var held))
            {
                _used.Remove(held);
            }
        }
    }

    private static uint ToNumber(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    private static string ToAddress(uint number)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, number);
        return new IPAddress(bytes).ToString();
    }
}
