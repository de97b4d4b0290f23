using System.Security.Cryptography.X509Certificates;
using DesktopOperator.Testing.Tls;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// HTTPS for a <see cref="TestApiServer"/>, shaped like a kubeadm cluster: one cluster CA signs the serving certificate
/// and users' client certificates, and is the CA of every kubeconfig (<c>certificate-authority-data</c>).
/// </summary>
public sealed class TestApiServerTls
{
    /// <summary>The cluster CA. Null: the server makes one at construction and disposes it with itself.</summary>
    public TestCertificateAuthority? CertificateAuthority { get; init; }

    /// <summary>
    /// The serving certificate. Null: one the CA issues for 127.0.0.1, ::1 and localhost (the server disposes it).
    /// Given: e.g. a certificate of the cluster CA for another name, which a client must refuse.
    /// </summary>
    public X509Certificate2? ServingCertificate { get; init; }

    /// <summary>
    /// Authenticate client certificates signed by the cluster CA, as kube-apiserver's <c>--client-ca-file</c> does:
    /// the user is the certificate's CN, its groups the O entries. The handshake asks for a certificate but accepts any
    /// (Go's <c>RequestClientCert</c>); one that does not verify is a 401, not a failed handshake. Off: none is asked for.
    /// </summary>
    public bool ClientCertificates { get; init; } = true;
}
