using System.Net.Security;
using System.Net.Sockets;

namespace DesktopOperator.Kube.Client;

/// <summary>
/// kubeconfig <c>tls-server-name</c> as client-go uses it (<c>tls.Config.ServerName</c>): the name sent in the TLS
/// ClientHello (SNI) and checked in the server certificate, while the TCP connection and the <c>Host</c> header stay
/// the URL's. <see cref="SocketsHttpHandler"/> always overwrites <c>SslOptions.TargetHost</c> with the URL's host (or
/// the <c>Host</c> header's, which is why KubernetesClient rewrites that header), so the handshake is done here, in
/// <see cref="SocketsHttpHandler.ConnectCallback"/>: a connected <see cref="SslStream"/> returned from it is used
/// as it is. Thread-safe: the options are copied per connection.
/// </summary>
internal static class TlsServerNameConnector
{
    /// <summary>Makes <paramref name="handler"/> open its connections with SNI <paramref name="serverName"/>, using
    /// the handler's own TLS settings (trust, client certificate) read at connect time.</summary>
    public static void Apply(SocketsHttpHandler handler, string serverName) =>
        handler.ConnectCallback = (context, cancellationToken) => ConnectAsync(handler.SslOptions, serverName, context, cancellationToken);

    private static async ValueTask<Stream> ConnectAsync(
        SslClientAuthenticationOptions template,
        string serverName,
        SocketsHttpConnectionContext context,
        CancellationToken cancellationToken)
    {
        // As SocketsHttpHandler's own connect: a dual-mode socket, Nagle off.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? tls = null;
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                ClientCertificates = template.ClientCertificates,
                LocalCertificateSelectionCallback = template.LocalCertificateSelectionCallback,
                RemoteCertificateValidationCallback = template.RemoteCertificateValidationCallback,
                CertificateChainPolicy = template.CertificateChainPolicy,
                CertificateRevocationCheckMode = template.CertificateRevocationCheckMode,
                EnabledSslProtocols = template.EnabledSslProtocols,
                EncryptionPolicy = template.EncryptionPolicy,
                // The handler speaks HTTP/2 on this connection only when both offered it and the server agreed.
                ApplicationProtocols = context.InitialRequestMessage.Version.Major >= 2
                    ? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]
                    : [SslApplicationProtocol.Http11],
            };
            await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch
        {
            if (tls is not null)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }
}
