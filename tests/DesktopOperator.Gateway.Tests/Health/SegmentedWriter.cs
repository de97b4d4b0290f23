using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tests.Health;

/// <summary>How a test peer cuts what it writes into socket sends.</summary>
public enum Segmentation
{
    /// <summary>Everything written between two reads goes out in one send (SecurityResult and reason together).</summary>
    Whole,

    /// <summary>Each protocol field in its own send (a real server writing result and reason separately).</summary>
    PerField,

    /// <summary>One byte per send.</summary>
    ByteByByte,

    /// <summary>What is written between two reads, cut at random places (seeded, so a failure can be replayed).</summary>
    Random,
}

/// <summary>
/// Writes protocol fields to a socket in the pieces a <see cref="Segmentation"/> asks for. Cut modes turn Nagle off
/// and pause a millisecond between pieces, so each piece leaves as its own TCP segment and a reader on the other side
/// of the gateway tends to see it arrive alone. <see cref="FlushAsync"/> before every read from the peer: RFB is
/// lockstep, and a held-back field would deadlock it. Optionally hangs up after <see cref="HangUpAfter"/> bytes.
/// Not thread-safe.
/// </summary>
internal sealed class SegmentedWriter
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(1);
    private readonly Socket _socket;
    private readonly Segmentation _segmentation;
    private readonly Random _random;
    private readonly MemoryStream _pending = new();
    private int _sent;

    public SegmentedWriter(Socket socket, Segmentation segmentation, int seed = 0, int hangUpAfter = int.MaxValue)
    {
        _socket = socket;
        _segmentation = segmentation;
        _random = new Random(seed);
        HangUpAfter = hangUpAfter;
        if (segmentation != Segmentation.Whole)
        {
            socket.NoDelay = true;
        }
    }

    /// <summary>Bytes written at most; writing past it sends what fits and throws <see cref="HangUpException"/>.</summary>
    public int HangUpAfter { get; }

    public async Task WriteAsync(ReadOnlyMemory<byte> field, CancellationToken token)
    {
        switch (_segmentation)
        {
            case Segmentation.PerField:
                await SendAsync(field, token);
                break;
            case Segmentation.ByteByByte:
                for (var i = 0; i < field.Length; i++)
                {
                    await SendAsync(field.Slice(i, 1), token);
                }

                break;
            default:
                _pending.Write(field.Span);
                break;
        }
    }

    public async Task FlushAsync(CancellationToken token)
    {
        var pending = _pending.ToArray().AsMemory();
        _pending.SetLength(0);
        if (_segmentation == Segmentation.Whole)
        {
            await SendAsync(pending, token);
            return;
        }

        while (!pending.IsEmpty)
        {
            var piece = _random.Next(1, pending.Length + 1);
            await SendAsync(pending[..piece], token);
            pending = pending[piece..];
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken token)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        var fits = Math.Min(bytes.Length, HangUpAfter - _sent);
        if (fits > 0)
        {
            if (_sent > 0 && _segmentation != Segmentation.Whole)
            {
                await Task.Delay(Pause, token);
            }

            await _socket.SendAsync(bytes[..fits], SocketFlags.None, token);
            _sent += fits;
        }

        if (fits < bytes.Length)
        {
            throw new HangUpException();
        }
    }
}

/// <summary>Thrown by <see cref="SegmentedWriter"/> when it reached its hang-up point.</summary>
internal sealed class HangUpException : Exception;
