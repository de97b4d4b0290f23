using System.Net.Sockets;
using System.Text;

namespace DesktopOperator.Gateway.Health.Probes;

/// <summary>
/// Passes when <c>GET path HTTP/1.1</c> is answered with a 2xx or 3xx status line. Plain HTTP only; reads the
/// status line (at most <see cref="MaxStatusLine"/> bytes) and closes, so a large body costs nothing.
/// </summary>
internal sealed class HttpGetProbe(string path) : ConnectingProbe
{
    public const int MaxStatusLine = 1024;

    public override string Name => HealthProbeNames.Http;

    protected override async Task<ProbeResult> ExchangeAsync(Socket socket, CancellationToken cancellationToken)
    {
        var endPoint = socket.RemoteEndPoint?.ToString() ?? "localhost";
        var request = $"GET {path} HTTP/1.1\r\nHost: {endPoint}\r\nUser-Agent: desktop-operator-health-check\r\nAccept: */*\r\nConnection: close\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken);

        var buffer = new byte[MaxStatusLine];
        var received = await ReceiveUntilAsync(socket, buffer, static data => data.Span.IndexOf((byte)'\n') >= 0, cancellationToken);
        var data = buffer.AsSpan(0, received);
        var end = data.IndexOf((byte)'\n');
        if (end < 0)
        {
            return received == MaxStatusLine ? ProbeResult.Invalid("status line too long") : ProbeResult.Closed(received);
        }

        var status = ParseStatus(data[..end].TrimEnd((byte)'\r'));
        return status switch
        {
            null => ProbeResult.Invalid("not an HTTP status line: " + Printable(data[..end])),
            >= 200 and < 400 => ProbeResult.Success,
            _ => ProbeResult.Invalid($"status {status}"),
        };
    }

    /// <summary>The code of <c>HTTP/1.x NNN reason</c>, or null.</summary>
    private static int? ParseStatus(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("HTTP/1."u8) || line.Length < 12 || line[8] != (byte)' ')
        {
            return null;
        }

        var code = line[9..12];
        foreach (var b in code)
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return null;
            }
        }

        return ((code[0] - '0') * 100) + ((code[1] - '0') * 10) + (code[2] - '0');
    }
}
