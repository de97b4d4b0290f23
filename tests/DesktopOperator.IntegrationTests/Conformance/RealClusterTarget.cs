using DesktopOperator.Kube.Config;

namespace DesktopOperator.IntegrationTests.Conformance;

/// <summary>
/// The conformance target for a real cluster named by <c>DESKTOP_OPERATOR_TEST_KUBECONFIG</c>: the kubeconfig's
/// current context, loaded by <see cref="KubeClientSettings"/> (CA, client certificate, token, exec plugin).
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
    public static string? SkipReason =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable))
            ? $"set {EnvironmentVariable} to run against a real API server"
            : null;

    public static RealClusterTarget Create()
    {
        var path = Environment.GetEnvironmentVariable(EnvironmentVariable) ?? throw new InvalidOperationException($"{EnvironmentVariable} is not set");
        return FromKubeconfig(path);
    }

    /// <summary>A target for the current context of the kubeconfig at <paramref name="kubeconfigPath"/>.</summary>
    public static RealClusterTarget FromKubeconfig(string kubeconfigPath)
    {
        var config = LoadConfiguration(kubeconfigPath);
        return new RealClusterTarget(config.Host, () => config.CreateHttpMessageHandler());
    }

    public override HttpMessageHandler CreateHandler() => _handlerFactory();

    protected override ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    /// <summary>The kubeconfig's current context; throws <see cref="KubeConfigException"/> naming the bad field.</summary>
    public static KubeClientSettings LoadConfiguration(string kubeconfigPath) =>
        KubeClientSettings.BuildConfigFromConfigFile(kubeconfigPath);

    /// <summary>The configuration of <see cref="EnvironmentVariable"/>'s kubeconfig, or null when it is not set.</summary>
    public static KubeClientSettings? FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path ? LoadConfiguration(path) : null;
}
