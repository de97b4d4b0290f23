using System.Net;
using DesktopOperator.IntegrationTests.Controllers;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.IntegrationTests.Gateway;

/// <summary>
/// Starts <c>desktop-operator gateway</c> as a child process against a test API server, its gateway ports on 127.0.0.1
/// or on the loopback address given (so several replicas can open the same pool ports side by side).
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private GatewayProcess(ChildProcess process, string admin)
    {
        Process = process;
        Admin = admin;
    }

    public ChildProcess Process { get; }

    /// <summary>Base URL of /readyz, /healthz, /metrics and /api/status.</summary>
    public string Admin { get; }

    public static GatewayProcess Start(KubeCluster cluster, string root, string name = "gateway", IPAddress? listenAddress = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var listen = listenAddress ?? IPAddress.Loopback;
        LoopbackPorts.EnsureLoopback(listen);
        var admin = $"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback)}";
        string[] args =
        [
            "gateway", "--kubeconfig", OperatorProcess.WriteKubeconfig(root, cluster.TestServer.BaseAddress), "--namespace", cluster.Namespace,
            "--http", admin, "--listen-address", listen.ToString(), "--drain-time", "1s",
        ];
        return new GatewayProcess(ChildProcess.Start(name, GatewayProxy.FindExecutable(), args, root), admin);
    }

    /// <summary>The status code of <paramref name="path"/>, or null while nothing listens yet.</summary>
    public async Task<HttpStatusCode?> StatusOfAsync(string path)
    {
        try
        {
            using var response = await Http.GetAsync(Admin + path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public async Task<string> GetStringAsync(string path) => await Http.GetStringAsync(Admin + path);

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
