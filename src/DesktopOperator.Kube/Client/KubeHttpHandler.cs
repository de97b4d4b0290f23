using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DesktopOperator.Kube.Auth;
using DesktopOperator.Kube.Config;

namespace DesktopOperator.Kube.Client;

/// <summary>The <see cref="SocketsHttpHandler"/> for a configuration: server trust, client certificate.</summary>
internal static class KubeHttpHandler
{
    /// <summary>
    /// A handler of its own, for raw <see cref="HttpClient"/> use only
    /// (<see cref="Config.KubeClientSettings.CreateHttpMessageHandler"/>).
    /// </summary>
    public static SocketsHttpHandler Create(KubeClientSettings config, ICredentialProvider credentials)
    {
        var handler = new SocketsHttpHandler();
        Configure(handler, config, credentials);
        return handler;
    }

    /// <summary>
    /// Sets up <paramref name="handler"/> (the one KubernetesClient's <c>Kubernetes</c> creates, through
    /// <c>FirstMessageHandlerSetup</c>, which all our verbs share; or a raw one from <see cref="Create"/>): connection
    /// limits and HTTP/2 keep-alive pings, trust in the configured CA with the server name checked (the URL's host, or <c>tls-server-name</c>,
    /// which is then also the SNI), and the client certificate.
    /// </summary>
    public static void Configure(SocketsHttpHandler handler, KubeClientSettings config, ICredentialProvider credentials)
    {
        handler.ConnectTimeout = TimeSpan.FromSeconds(10);
        handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90);
        handler.UseCookies = false;
        handler.AllowAutoRedirect = false;

        // Over TLS every request and watch shares one HTTP/2 connection. One that died without a FIN or RST (a NAT or
        // load balancer dropped it) stalls them all; a ping unanswered within 15 s after 30 s of silence closes it, and
        // the reflectors relist and watch anew. The package pings after 3 minutes (30 s timeout); these are
        // client-go's figures (ReadIdleTimeout, PingTimeout).
        handler.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
        handler.KeepAlivePingTimeout = TimeSpan.FromSeconds(15);
        handler.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests;
        if (config.SkipTlsVerify)
        {
#pragma warning disable CA5359 // Accepting any certificate is exactly what kubeconfig insecure-skip-tls-verify asks for.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (config.SslCaCerts is { Count: > 0 } roots)
        {
            // Only the configured CA is trusted (as in client-go), not the system store; the host name must still
            // match. No downloads of missing issuers: the API server's CA is given, the network may not be.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
            };
            policy.CustomTrustStore.AddRange(roots);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        if (config.TlsServerName is { Length: > 0 } serverName && config.Host.Scheme == Uri.UriSchemeHttps)
        {
            // The TLS name (SNI and the certificate's name check) is the configured one; the connection and the Host
            // header stay the URL's.
            TlsServerNameConnector.Apply(handler, serverName);
        }

        if (config.ClientCertificate is { } fixedCertificate)
        {
            handler.SslOptions.ClientCertificates = [fixedCertificate];
        }
        else if (config.ExecProvider is not null)
        {
            // An exec plugin's certificate is known only after it ran (before the first request is sent).
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => credentials.ClientCertificate!;
        }
    }
}
