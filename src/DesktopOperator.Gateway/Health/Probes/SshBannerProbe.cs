using System.Net.Sockets;

namespace DesktopOperator.Gateway.Health.Probes;

/// <summary>
/// Passes when the server identifies as SSH 2 (<c>SSH-2.0-…</c>, or <c>SSH-1.99-…</c> which also speaks 2).
/// RFC 4253 section 4.2 lets a server send other lines first; each line is at most 255 bytes, and this probe
/// reads at most <see cref="MaxBytes"/> in all.
/// <para>
/// Closing after the banner does not penalise the gateway's address on OpenSSH 9.2 (Debian 12): MaxStartups only
/// counts connections still open, and there are no per-source penalties (tested end to end). OpenSSH 9.8+ adds
/// PerSourcePenalties, whose <c>noauth</c> penalty counts any connection that ends without trying to log in, with or
/// without an identification string from us, so sending one would not help: there, exempt the gateway's address
/// (PerSourcePenaltyExemptList).
/// </para>
/// </summary>
internal sealed class SshBannerProbe : ConnectingProbe
{
    public const int MaxBytes = 1024;

    public override string Name => HealthProbeNames.Ssh;

    protected override async Task<ProbeResult> ExchangeAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBytes];
        var received = await ReceiveUntilAsync(socket, buffer, static data => FindIdentification(data.Span) >= 0, cancellationToken);
        var data = buffer.AsSpan(0, received);
        var start = FindIdentification(data);
        if (start < 0)
        {
            return received == MaxBytes
                ? ProbeResult.Invalid($"no SSH identification in the first {MaxBytes} bytes")
                : ProbeResult.Closed(received);
        }

        var line = data[start..];
        return line.StartsWith("SSH-2.0-"u8) || line.StartsWith("SSH-1.99-"u8)
            ? ProbeResult.Success
            : ProbeResult.Invalid("not SSH 2: " + Printable(line[..line.IndexOf((byte)'\n')].TrimEnd((byte)'\r')));
    }

    /// <summary>Start of the first complete line that begins with <c>SSH-</c>, or -1.</summary>
    private static int FindIdentification(ReadOnlySpan<byte> data)
    {
        var start = 0;
        while (true)
        {
            var end = data[start..].IndexOf((byte)'\n');
            if (end < 0)
            {
                return -1;
            }

            if (data[start..].StartsWith("SSH-"u8))
            {
                return start;
            }

            start += end + 1;
        }
    }
}
