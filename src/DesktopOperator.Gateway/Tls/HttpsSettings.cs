namespace DesktopOperator.Gateway.Tls;

/// <summary>TLS termination of the gateway's HTTP side (command-line options).</summary>
/// <param name="Url">Where the HTTPS listener binds, e.g. <c>https://0.0.0.0:8443</c>.</param>
/// <param name="RedirectPort">
/// Where plain-HTTP requests are redirected: the port clients reach HTTPS on (<c>--https-redirect-port</c>, e.g. a
/// Service's 443), by default the port of <paramref name="Url"/>.
/// </param>
/// <param name="CertificateFile">PEM: the server certificate, then its chain's intermediates.</param>
/// <param name="KeyFile">PEM: the certificate's private key.</param>
/// <param name="RedirectHttp">The plain-HTTP listener answers pages, pools and API with 308 to HTTPS.</param>
/// <param name="Hsts">HTTPS responses carry <c>Strict-Transport-Security</c>.</param>
internal sealed record HttpsSettings(string Url, int RedirectPort, string CertificateFile, string KeyFile, bool RedirectHttp, bool Hsts)
{
    /// <summary>What <see cref="Hsts"/> sends: one year, this host name only (no subdomains, no preload).</summary>
    public const string HstsValue = "max-age=31536000";
}
