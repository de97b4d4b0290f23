using System.Net;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.IntegrationTests.Controllers;

/// <summary>Starts <c>desktop-operator operator</c> as a child process against a test API server.</summary>
internal static class OperatorProcess
{
    /// <summary>The operator on <paramref name="cluster"/>'s namespace, without leader election, logs in <paramref name="root"/>.</summary>
    public static ChildProcess Start(KubeCluster cluster, string root, params string[] extra)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var admin = $"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback)}";
        string[] args = ["operator", "--kubeconfig", WriteKubeconfig(root, cluster.TestServer.BaseAddress), "--namespace", cluster.Namespace, "--http", admin, "--leader-elect", "false", .. extra];
        return ChildProcess.Start("operator", GatewayProxy.FindExecutable(), args, root);
    }

    /// <summary>
    /// A replica with leader election on (the Lease in the cluster's namespace), serving /metrics on <paramref name="admin"/>.
    /// </summary>
    public static ChildProcess StartReplica(KubeCluster cluster, string root, string name, string admin)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        string[] args = ["operator", "--kubeconfig", WriteKubeconfig(root, cluster.TestServer.BaseAddress), "--namespace", cluster.Namespace, "--http", admin, "--leader-elect", "true"];
        return ChildProcess.Start(name, GatewayProxy.FindExecutable(), args, root);
    }

    public static string WriteKubeconfig(string root, Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var path = Path.Combine(root, $"kubeconfig-{Guid.NewGuid():N}");
        File.WriteAllText(path, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {{server.ToString().TrimEnd('/')}}
            users:
            - name: test
              user: {}
            contexts:
            - name: test
              context:
                cluster: test
                user: test
            current-context: test
            """);
        return path;
    }
}
