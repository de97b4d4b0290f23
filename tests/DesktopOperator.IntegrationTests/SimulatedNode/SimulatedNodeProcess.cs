using DesktopOperator.IntegrationTests.Controllers;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.IntegrationTests.SimulatedNode;

/// <summary>The simulated node program on a <see cref="KubeCluster"/>'s test API server, in its namespace.</summary>
internal static class SimulatedNodeProcess
{
    /// <summary>Node <paramref name="node"/> giving pods the addresses <paramref name="podIps"/> (<c>first-last</c>), probing them every 0.2 s.</summary>
    public static ChildProcess Start(KubeCluster cluster, string root, string node, string podIps)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return ChildProcess.Start(
            "node",
            SimulatedClusterProcesses.Program("DesktopOperator.SimulatedNode"),
            ["--kubeconfig", OperatorProcess.WriteKubeconfig(root, cluster.TestServer.BaseAddress), "--node", node, "--namespace", cluster.Namespace,
             "--pod-ips", podIps, "--probe-period", "0.2"],
            root);
    }
}
