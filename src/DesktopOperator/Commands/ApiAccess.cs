using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;

namespace DesktopOperator.Commands;

/// <summary>One read of DesktopPools before the operator or the gateway starts, so that "no API access" is one clear line, not a retry loop.</summary>
internal static class ApiAccess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Loads the configuration (<paramref name="kubeconfig"/>, else KUBECONFIG, ~/.kube/config or in-cluster) and checks
    /// access with <see cref="CheckAsync"/>: the settings, or the one line (prefixed with <paramref name="command"/>)
    /// that says why the command cannot start.
    /// </summary>
    public static async Task<(KubeClientSettings? Settings, string? Error)> ConnectAsync(
        string command, FileInfo? kubeconfig, string? namespaceName, CancellationToken cancellationToken)
    {
        KubeClientSettings kube;
        try
        {
            kube = kubeconfig is { } file ? KubeClientSettings.BuildConfigFromConfigFile(file.FullName) : KubeClientSettings.BuildDefaultConfig();
        }
        catch (KubeConfigException e)
        {
            return (null, $"desktop-operator {command}: cannot load the Kubernetes configuration: {e.Message}");
        }

        using var client = new KubernetesClient(kube, retryPolicy: KubeRetryPolicy.Default with { MaxAttempts = 1 });
        return await CheckAsync(client, namespaceName, cancellationToken).ConfigureAwait(false) is { } problem
            ? (null, $"desktop-operator {command}: {problem}")
            : (kube, null);
    }

    /// <summary>Null when the API server answers and serves DesktopPools; else why not.</summary>
    public static async Task<string?> CheckAsync(KubernetesClient client, string? namespaceName, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        var server = client.BaseUri.ToString().TrimEnd('/');
        try
        {
            await client.ListAsync<DesktopPool>(namespaceName, new ListOptions { Limit = 1 }, limit.Token).ConfigureAwait(false);
            return null;
        }
        catch (KubeNotFoundException)
        {
            return $"the API server at {server} does not serve desktoppools.{ApiGroup.Group}: install the CRDs first (kubectl apply -f crds/)";
        }
        catch (KubeApiException e)
        {
            return $"the API server at {server} refused to list DesktopPools: {e.Message}";
        }
        catch (HttpRequestException e)
        {
            return $"cannot reach the API server at {server}: {e.Message}";
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return $"the API server at {server} did not answer within {Timeout.TotalSeconds:0} s";
        }
    }
}
