using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DesktopOperator.EndToEndTests.Web;

/// <summary>One kept-alive HTTPS connection to the gateway on 127.0.0.1, trusting only <c>ca</c>; HTTP/1.1 by hand.</summary>
internal sealed class TlsConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly SslStream _stream;

    private TlsConnection(TcpClient client, SslStream stream)
    {
        _client = client;
        _stream = stream;
    }

    public X509Certificate2 ServerCertificate => new(_stream.RemoteCertificate!);

    public static async Task<TlsConnection> OpenAsync(int port, X509Certificate2 ca, CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        var stream = new SslStream(client.GetStream());
        var chain = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        chain.CustomTrustStore.Add(ca);
        await stream.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                CertificateChainPolicy = chain,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            },
            cancellationToken);
        return new TlsConnection(client, stream);
    }

    /// <summary>Sends a GET on this connection and returns the response head and body (a short body: /healthz).</summary>
    public async Task<string> GetAsync(string path, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), cancellationToken);
        var response = new StringBuilder();
        var buffer = new byte[4096];
        while (!IsComplete(response.ToString()))
        {
            var read = await _stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"the gateway closed the connection; read so far: {response}");
            }

            response.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return response.ToString();
    }

    private static bool IsComplete(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var head = response[..end];
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return response.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
        }

        var header = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = header is null ? 0 : int.Parse(header["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
        return response.Length - end - 4 >= length;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
