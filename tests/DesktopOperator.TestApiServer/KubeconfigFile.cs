using DesktopOperator.Testing.ApiServer;

namespace DesktopOperator.TestApiServer;

/// <summary>
/// The kubeconfig the program writes: the server's URL, its CA with <c>--tls</c>, and the <c>--token</c>; with
/// <c>--tls</c> and no token, a client certificate of the cluster CA for kubeadm's admin user instead.
/// </summary>
internal static class KubeconfigFile
{
    /// <summary>kubeadm's <c>admin.conf</c> user: CN <c>kubernetes-admin</c> in group <c>system:masters</c>.</summary>
    public const string AdminUser = "kubernetes-admin";

    /// <summary>Writes the file (creating its folder), replacing one a previous run left behind.</summary>
    public static void Write(string path, Testing.ApiServer.TestApiServer server, string? token)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var certificate = token is null && server.CertificateAuthority is not null
            ? server.IssueClientCertificate(AdminUser, "system:masters")
            : null;
        File.WriteAllText(full, server.Kubeconfig(token, certificate));
    }
}
