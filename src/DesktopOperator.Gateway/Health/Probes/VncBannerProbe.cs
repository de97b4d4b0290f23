using System.Net.Sockets;

namespace DesktopOperator.Gateway.Health.Probes;

/// <summary>
/// Passes when the server opens with an RFB 3.x ProtocolVersion message (RFC 6143 section 7.1.1: exactly
/// 12 bytes, <c>RFB 003.008\n</c>). Reads those 12 bytes only.
/// </summary>
internal sealed class VncBannerProbe : ConnectingProbe
{
    private const int BannerLength = 12;

    public override string Name => HealthProbeNames.Vnc;

    public static bool IsRfb3Banner(ReadOnlySpan<byte> banner) =>
        banner.Length == BannerLength
        && banner.StartsWith("RFB 003."u8)
        && char.IsAsciiDigit((char)banner[8]) && char.IsAsciiDigit((char)banner[9]) && char.IsAsciiDigit((char)banner[10])
        && banner[11] == (byte)'\n';

    protected override async Task<ProbeResult> ExchangeAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[BannerLength];
        var received = await ReceiveUntilAsync(socket, buffer, static _ => false, cancellationToken);
        if (received < BannerLength)
        {
            return ProbeResult.Closed(received);
        }

        return IsRfb3Banner(buffer)
            ? ProbeResult.Success
            : ProbeResult.Invalid("not an RFB 3.x banner: " + Printable(buffer));
    }
}
