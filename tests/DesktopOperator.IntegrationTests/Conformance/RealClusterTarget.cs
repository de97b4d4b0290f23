namespace DesktopOperator.IntegrationTests.Conformance;

/// <summary>
/// The conformance target for a real cluster named by <c>DESKTOP_OPERATOR_TEST_KUBECONFIG</c>.
/// LEAD: wire <see cref="TryCreateHandler"/> to the Kube assembly's <c>KubernetesClientConfiguration</c> (kubeconfig
/// loader, being written in parallel): load the file, build its HttpMessageHandler (CA, client certs, token, exec
/// plugin) and server URI. Until then the real-cluster conformance tests skip with a visible reason.
/// </summary>
public sealed class RealClusterTarget : ConformanceTarget
{
    public const string EnvironmentVariable = "DESKTOP_OPERATOR_TEST_KUBECONFIG";

    private readonly Uri _server;
    private readonly Func<HttpMessageHandler> _handlerFactory;

    private RealClusterTarget(Uri server, Func<HttpMessageHandler> handlerFactory)
    {
        _server = server;
        _handlerFactory = handlerFactory;
    }

    public override Uri BaseAddress => _server;

    /// <summary>Why the real-cluster variant cannot run now (null: it can).</summary>
    public static string? SkipReason
    {
        get
        {
            var path = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrEmpty(path))
            {
                return $"set {EnvironmentVariable} to run against a real API server";
            }

            return TryCreateHandler(path) is null
                ? $"{EnvironmentVariable} is set, but the kubeconfig loader is not wired into RealClusterTarget.TryCreateHandler yet"
                : null;
        }
    }

    public static RealClusterTarget Create()
    {
        var path = Environment.GetEnvironmentVariable(EnvironmentVariable) ?? throw new InvalidOperationException($"{EnvironmentVariable} is not set");
        var (server, factory) = TryCreateHandler(path) ?? throw new InvalidOperationException(SkipReason);
        return new RealClusterTarget(server, factory);
    }

    public override HttpMessageHandler CreateHandler() => _handlerFactory();

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// The factory method the lead wires: kubeconfig path -> (server URI, handler factory). Returns null while the
    /// loader (KubernetesClientConfiguration in DesktopOperator.Kube) is not available.
    /// </summary>
    private static (Uri Server, Func<HttpMessageHandler> Handler)? TryCreateHandler(string kubeconfigPath)
    {
        _ = kubeconfigPath;
        return null;
    }
}
