using System.Security.Cryptography.X509Certificates;

namespace DesktopOperator.Kube.Auth;

/// <summary>Supplies request credentials; implementations are thread-safe.</summary>
internal interface ICredentialProvider
{
    /// <summary>A client certificate that is only known at run time (exec plugins); read at TLS handshake.</summary>
    X509Certificate2? ClientCertificate { get; }

    /// <summary>Sets <c>Authorization</c> on <paramref name="request"/>, refreshing cached credentials when stale.</summary>
    ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken);

    /// <summary>Called after a 401: drops cached credentials. True when fresh ones may succeed (worth one retry).</summary>
    bool Invalidate();
}
