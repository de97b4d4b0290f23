using System.Security.Cryptography.X509Certificates;
using DesktopOperator.Kube.Auth;
using DesktopOperator.Kube.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Kube.Config;

/// <summary>
/// Where the API server is and how to authenticate to it; built from a kubeconfig
/// (<see cref="BuildConfigFromConfigFile"/>), from the pod's service account (<see cref="InClusterConfig()"/>),
/// or by hand. Shaped like KubernetesClient's class of the same name. Immutable once handed to a client.
/// </summary>
public sealed class KubeClientSettings
{
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The API server's base URL, e.g. <c>https://10.0.0.1:443</c>.</summary>
    public required Uri Host { get; init; }

    /// <summary>The context's (or the service account's) default namespace; null when none is set.</summary>
    public string? Namespace { get; init; }

    /// <summary>The kubeconfig context this came from (null in-cluster).</summary>
    public string? CurrentContext { get; init; }

    /// <summary>Accept any server certificate (kubeconfig <c>insecure-skip-tls-verify</c>). Tests only.</summary>
    public bool SkipTlsVerify { get; init; }

    /// <summary>The only roots trusted for the server certificate when set; the system store otherwise.</summary>
    public X509Certificate2Collection? SslCaCerts { get; init; }

    /// <summary>Overrides the name checked in the server certificate (kubeconfig <c>tls-server-name</c>).</summary>
    public string? TlsServerName { get; init; }

    /// <summary>A client certificate with its private key (RSA or EC).</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>A fixed bearer token.</summary>
    public string? AccessToken { get; init; }

    /// <summary>A file holding the bearer token, re-read when it changes (service-account token rotation).</summary>
    public string? TokenFile { get; init; }

    /// <summary>A credential plugin run on demand; its result is cached until it expires or the server answers 401.</summary>
    public ExecCredentialSettings? ExecProvider { get; init; }

    /// <summary>Bound on each non-watch request (watches are bounded by the server's timeoutSeconds).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Loads <paramref name="kubeconfigPath"/> and picks <paramref name="currentContext"/>, or the file's
    /// <c>current-context</c> when null. Throws <see cref="KubeConfigException"/> naming the file and field.
    /// </summary>
    public static KubeClientSettings BuildConfigFromConfigFile(string kubeconfigPath, string? currentContext = null) =>
        KubeConfigLoader.Load(kubeconfigPath, currentContext);

    /// <summary>
    /// <c>KUBECONFIG</c> (only the FIRST of several paths is used: files are not merged), else
    /// <c>~/.kube/config</c> when it exists, else the in-cluster configuration.
    /// </summary>
    public static KubeClientSettings BuildDefaultConfig()
    {
        var path = DefaultKubeConfigPath(Environment.GetEnvironmentVariable);
        if (path is not null)
        {
            return BuildConfigFromConfigFile(path);
        }

        if (IsInCluster())
        {
            return InClusterConfig();
        }

        throw new KubeConfigException("no kubeconfig (KUBECONFIG unset, ~/.kube/config missing) and not running in a cluster");
    }

    /// <summary>
    /// An <see cref="HttpMessageHandler"/> that talks to <see cref="Host"/> as this configuration says (server trust,
    /// client certificate, and a bearer token from <see cref="AccessToken"/>, <see cref="TokenFile"/> or
    /// <see cref="ExecProvider"/> on every request), for callers that send raw HTTP instead of using
    /// <see cref="Client.KubernetesClient"/>. It neither retries nor refreshes credentials after a 401.
    /// </summary>
    public HttpMessageHandler CreateHttpMessageHandler(TimeProvider? timeProvider = null)
    {
        var credentials = CredentialProviders.Create(this, timeProvider ?? TimeProvider.System, NullLogger.Instance);
        return new KubeCredentialHandler(credentials, KubeHttpHandler.Create(this, credentials));
    }

    public static bool IsInCluster() => InClusterLoader.IsInCluster(ServiceAccountDirectory, Environment.GetEnvironmentVariable);

    /// <summary>The pod's service account: token (re-read on rotation), CA and namespace files, and the
    /// <c>KUBERNETES_SERVICE_HOST</c>/<c>PORT</c> variables.</summary>
    public static KubeClientSettings InClusterConfig() =>
        InClusterLoader.Load(ServiceAccountDirectory, Environment.GetEnvironmentVariable);

    internal static string? DefaultKubeConfigPath(Func<string, string?> getEnv)
    {
        var fromEnv = getEnv("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return fromEnv.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        }

        var home = getEnv("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var path = Path.Combine(home, ".kube", "config");
        return File.Exists(path) ? path : null;
    }
}
