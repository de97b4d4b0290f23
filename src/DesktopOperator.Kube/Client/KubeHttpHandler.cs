using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DesktopOperator.Kube.Auth;
using DesktopOperator.Kube.Config;

namespace DesktopOperator.Kube.Client;

/// <summary>The <see cref="SocketsHttpHandler"/> for a configuration: server trust, client certificate.</summary>
internal static class KubeHttpHandler
{
    public static SocketsHttpHandler Create(KubernetesClientConfiguration config, ICredentialProvider credentials)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            ValidateServer(config, certificate, chain, errors);
        if (!string.IsNullOrEmpty(config.TlsServerName))
        {
            handler.SslOptions.TargetHost = config.TlsServerName;
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

        return handler;
    }

    /// <summary>
    /// With a CA configured, only that CA is trusted (as in client-go), not the system store; the host name must
    /// still match. Without one, the system's validation decides.
    /// </summary>
    internal static bool ValidateServer(KubernetesClientConfiguration config, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (config.SkipTlsVerify)
        {
            return true;
        }

        if (config.SslCaCerts is not { Count: > 0 } roots || certificate is null)
        {
            return errors == SslPolicyErrors.None;
        }

        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
