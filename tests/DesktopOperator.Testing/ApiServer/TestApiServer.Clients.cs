using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using DesktopOperator.Kube.Config;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>How tests reach a <see cref="TestApiServer"/>: HTTP clients, our client's settings, kubeconfigs, client certificates.</summary>
public sealed partial class TestApiServer
{
    /// <summary>
    /// An HttpClient for this server: trusting the cluster CA alone when serving HTTPS, sending
    /// <paramref name="clientCertificate"/> if given, else the bearer token when configured; the User-Agent names the
    /// field manager.
    /// </summary>
    public HttpClient CreateClient(string userAgent = "test-client/v0.0.0", X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler();
        if (CertificateAuthority is not null)
        {
            var trust = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            trust.CustomTrustStore.Add(CertificateAuthority.Certificate);
            handler.SslOptions.CertificateChainPolicy = trust;
            handler.SslOptions.ClientCertificates = clientCertificate is null ? null : [clientCertificate];
        }

        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        if (clientCertificate is null && Options.BearerToken is { } token)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Our client's settings for this server (its CA when serving HTTPS) with the given credentials.</summary>
    public KubeClientSettings ClientSettings(string? token = null, X509Certificate2? clientCertificate = null) => new()
    {
        Host = BaseAddress,
        SslCaCerts = CertificateAuthority is null ? null : [CertificateAuthority.Certificate],
        AccessToken = token,
        ClientCertificate = clientCertificate,
    };

    /// <summary>A client certificate of the cluster CA for <paramref name="user"/> (CN) in <paramref name="groups"/> (O).</summary>
    public X509Certificate2 IssueClientCertificate(string user, params string[] groups) =>
        (CertificateAuthority ?? throw new InvalidOperationException("the server serves plain HTTP: set TestApiServerOptions.Tls"))
            .IssueClient(user, groups);

    /// <summary>A kubeconfig for this server (see <see cref="TestKubeconfig"/>) with a token or a client certificate.</summary>
    public string Kubeconfig(string? token = null, X509Certificate2? clientCertificate = null, string @namespace = "default") =>
        TestKubeconfig.Text(BaseAddress, CertificateAuthority?.CertificatePem, token, clientCertificate, @namespace);
}
