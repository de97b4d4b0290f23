using System.Globalization;
using System.Text;

namespace DesktopOperator.Testing.Proxies;

/// <summary>
/// DesktopPool manifests (standalone mode: <c>spec.staticHosts</c>) for a <see cref="ProxySetup"/>. Field names follow
/// the draft API in config/standalone/pools; adjust here when the final API types differ.
/// </summary>
public static class GatewayManifests
{
    public static string DesktopPool(string poolName, ProxySetup setup, int gatewayPort)
    {
        var strategy = setup.Balancing switch
        {
            ProxyBalancing.LeastConnections => "LeastSessions",
            ProxyBalancing.SourceHash => "SourceHash",
            ProxyBalancing.RoundRobin => "RoundRobin",
            ProxyBalancing.RdpUser => "LeastSessions",
            _ => throw new ArgumentOutOfRangeException(nameof(setup)),
        };
        var text = new StringBuilder()
            .AppendLine("apiVersion: desktop-operator.io/v1alpha1")
            .AppendLine("kind: DesktopPool")
            .AppendLine("metadata:")
            .AppendLine($"  name: {poolName}")
            .AppendLine("spec:")
            .AppendLine("  staticHosts:");
        foreach (var backend in setup.Backends)
        {
            text.AppendLine($"    - name: {backend.Name}")
                .AppendLine($"      address: {backend.EndPoint.Address}");
        }

        text.AppendLine("  protocols:")
            .AppendLine($"    - name: {setup.ProtocolKind.ToLowerInvariant()}")
            .AppendLine($"      kind: {setup.ProtocolKind}")
            .AppendLine($"      port: {setup.BackendPort}")
            .AppendLine($"      gatewayPort: {gatewayPort}")
            .AppendLine("  balancing:")
            .AppendLine($"    strategy: {strategy}");
        if (setup.Balancing is ProxyBalancing.RdpUser or ProxyBalancing.SourceHash)
        {
            text.AppendLine("  affinity:")
                .AppendLine($"    key: {(setup.Balancing == ProxyBalancing.RdpUser ? "User" : "SourceIP")}");
        }

        text
            .AppendLine("  capacity:")
            .AppendLine($"    sessionsPerHost: {setup.MaxConnections.ToString(CultureInfo.InvariantCulture)}")
            .AppendLine("  healthCheck:")
            // TCP checks, like HAProxy without "check" sees no extra traffic worth counting; keep them rare.
            .AppendLine("    kind: Tcp")
            .AppendLine("    interval: 10s");
        return text.ToString();
    }
}
