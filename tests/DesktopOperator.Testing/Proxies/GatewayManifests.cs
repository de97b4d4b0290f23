using System.Globalization;
using System.Text;

namespace DesktopOperator.Testing.Proxies;

/// <summary>
/// DesktopPool manifests (standalone mode: <c>spec.staticHosts</c>) for a <see cref="ProxySetup"/>, in the API of
/// src/DesktopOperator.Api/V1Alpha1 (checked against DesktopPoolValidator by a unit test).
/// </summary>
public static class GatewayManifests
{
    /// <summary>The most sessions per host the API allows (capacity.sessionsPerHost).</summary>
    public const int MaxSessionsPerHost = 1000;

    public static string DesktopPool(string poolName, ProxySetup setup, int gatewayPort)
    {
        ArgumentNullException.ThrowIfNull(setup);
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
            .AppendLine($"      port: {setup.BackendPort.ToString(CultureInfo.InvariantCulture)}")
            .AppendLine($"      gatewayPort: {gatewayPort.ToString(CultureInfo.InvariantCulture)}")
            .AppendLine("  balancing:")
            .AppendLine($"    strategy: {strategy}")
            // User: the RDP cookie when there is one, else the client address (VNC, SSH and TCP carry no user).
            .AppendLine("  affinity:")
            .AppendLine($"    key: {(setup.Balancing == ProxyBalancing.SourceHash ? "SourceIP" : "User")}")
            .AppendLine("  capacity:")
            // Sessions are routes (one per user or client address), not connections: the API's bound is enough.
            .AppendLine($"    sessionsPerHost: {Math.Min(setup.MaxConnections, MaxSessionsPerHost).ToString(CultureInfo.InvariantCulture)}")
            .AppendLine("  healthCheck:");
        if (setup is { ProtocolKind: "Vnc", VncPasswordFile: null })
        {
            // Connect and reset: a VNC server does not count it as a failed login.
            text.AppendLine("    kind: Tcp")
                .AppendLine("    interval: 1s")
                .AppendLine("    timeout: 1s")
                .AppendLine("    rise: 1")
                .AppendLine("    fall: 2");
        }
        else if (setup.ProtocolKind == "Tcp")
        {
            // HAProxy runs without "check": keep TCP checks rare so the benchmark sees no extra traffic worth counting.
            text.AppendLine("    kind: Tcp")
                .AppendLine("    interval: 10s");
        }
        else
        {
            // The desktop protocols' own greeting; a killed host turns unhealthy within about two seconds.
            var interval = setup.CheckInterval is { } every ? $"{(int)every.TotalMilliseconds}ms" : "1s";
            text.AppendLine("    kind: Protocol")
                .AppendLine($"    interval: {interval}")
                .AppendLine($"    timeout: {interval}")
                .AppendLine("    rise: 1")
                .AppendLine("    fall: 2");
            if (setup.ProtocolKind == "Vnc")
            {
                // The RFB handshake up to a completed VNC Authentication.
                text.AppendLine("    vnc:")
                    .AppendLine("      security: VncAuth")
                    .AppendLine($"      passwordFile: {setup.VncPasswordFile}");
            }
        }

        return text.ToString();
    }
}
