using System.Security.Cryptography.X509Certificates;

namespace DesktopOperator.Kube.Config;

/// <summary>Builds the in-cluster configuration; the folder and environment are parameters so tests can fake them.</summary>
internal static class InClusterLoader
{
    public static bool IsInCluster(string serviceAccountDirectory, Func<string, string?> getEnv) =>
        !string.IsNullOrEmpty(getEnv("KUBERNETES_SERVICE_HOST"))
        && !string.IsNullOrEmpty(getEnv("KUBERNETES_SERVICE_PORT"))
        && File.Exists(Path.Combine(serviceAccountDirectory, "token"));

    public static KubeClientSettings Load(string serviceAccountDirectory, Func<string, string?> getEnv)
    {
        var host = getEnv("KUBERNETES_SERVICE_HOST");
        var port = getEnv("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException(null, "KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT", "not set: not running in a cluster");
        }

        var tokenFile = Path.Combine(serviceAccountDirectory, "token");
        if (!File.Exists(tokenFile))
        {
            throw new KubeConfigException(tokenFile, null, "the service-account token file does not exist");
        }

        var caFile = Path.Combine(serviceAccountDirectory, "ca.crt");
        X509Certificate2Collection? ca = null;
        if (File.Exists(caFile))
        {
            ca = PemLoader.LoadCertificates(File.ReadAllText(caFile), caFile, null);
        }

        var namespaceFile = Path.Combine(serviceAccountDirectory, "namespace");
        var ns = File.Exists(namespaceFile) ? File.ReadAllText(namespaceFile).Trim() : null;

        // An IPv6 service host needs brackets in a URL.
        var hostPart = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        return new KubeClientSettings
        {
            Host = new Uri($"https://{hostPart}:{port}"),
            TokenFile = tokenFile,
            SslCaCerts = ca,
            Namespace = string.IsNullOrEmpty(ns) ? null : ns,
        };
    }
}
