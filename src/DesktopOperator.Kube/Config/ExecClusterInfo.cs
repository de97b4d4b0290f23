namespace DesktopOperator.Kube.Config;

/// <summary>
/// The cluster handed to an exec plugin whose kubeconfig entry says <c>provideClusterInfo: true</c>, in
/// <c>KUBERNETES_EXEC_INFO</c>'s <c>spec.cluster</c> (client-go's <c>clientauthentication.Cluster</c>).
/// </summary>
public sealed record ExecClusterInfo
{
    public required Uri Server { get; init; }

    public string? TlsServerName { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>The CA bundle as PEM (from <c>certificate-authority-data</c> or the file); sent base64-encoded.</summary>
    public string? CertificateAuthorityPem { get; init; }
}
