using DesktopOperator.Kube.Auth;
using DesktopOperator.Kube.Config;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using k8s;

namespace DesktopOperator.Kube.Client;

/// <summary>
/// Builds KubernetesClient's <see cref="Kubernetes"/> (<see cref="IKubernetes"/>: CoreV1, CoordinationV1, EventsV1,
/// CustomObjects, ...) from our <see cref="KubeClientSettings"/>, with our handling where the package falls short:
/// <list type="bullet">
/// <item>TLS: only the configured CA is trusted AND the server name is checked (the package's callback accepts a
/// certificate of the cluster CA issued for another name); <c>tls-server-name</c> is a name check, not a rewritten
/// <c>Host</c> header (the package sends <c>Host: &lt;tls-server-name&gt;</c>).</item>
/// <item>Credentials: token, tokenFile (re-read on rotation) and exec plugins (ours), applied on every request and
/// refreshed once after a 401; client certificates, also from an exec plugin.</item>
/// <item>Retries with <see cref="KubeRetryPolicy"/> (reads on 5xx and dropped connections, any verb on 429).</item>
/// </list>
/// The package receives only the server URL; everything above is set up on its handler
/// (<c>FirstMessageHandlerSetup</c>) and in a delegating handler of its pipeline.
/// </summary>
public static class KubernetesFactory
{
    /// <remarks>
    /// The returned object is the whole HTTP stack of one API server: one handler (one connection pool), one
    /// credential provider (an exec plugin runs once per credential lifetime, a token file is read by one reader), one
    /// retry policy. Build our generic verbs on it with <see cref="KubernetesClient(Kubernetes, ILogger{KubernetesClient}?, TimeProvider?)"/>.
    /// </remarks>
    public static Kubernetes Create(KubeClientSettings settings, ILogger? logger = null, TimeProvider? timeProvider = null, KubeRetryPolicy? retryPolicy = null) =>
        Create(settings, logger, timeProvider, retryPolicy, delay: null, random: null);

    /// <summary>Test seam: the retry wait and the jitter source can be replaced.</summary>
    internal static Kubernetes Create(
        KubeClientSettings settings,
        ILogger? logger,
        TimeProvider? timeProvider,
        KubeRetryPolicy? retryPolicy,
        Func<TimeSpan, CancellationToken, Task>? delay,
        Func<double>? random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var time = timeProvider ?? TimeProvider.System;
        var log = logger ?? NullLogger.Instance;
        var credentials = CredentialProviders.Create(settings, time, log);
        var configuration = new KubernetesClientConfiguration
        {
            Host = settings.Host.AbsoluteUri,
            Namespace = settings.Namespace,
            UserAgent = KubernetesClient.UserAgent,
            HttpClientTimeout = settings.RequestTimeout,
            FirstMessageHandlerSetup = handler => KubeHttpHandler.Configure((SocketsHttpHandler)handler, settings, credentials),
        };
        var pipeline = new KubePipelineHandler(
            credentials,
            retryPolicy ?? KubeRetryPolicy.Default,
            settings.RequestTimeout,
            time,
            delay ?? ((wait, token) => Task.Delay(wait, time, token)),
            random ?? Random.Shared.NextDouble,
            log);
        return new Kubernetes(configuration, pipeline);
    }
}
