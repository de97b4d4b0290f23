namespace DesktopOperator.Gateway.Tests.Pools;

/// <summary>Manifest text for the pool tests, written to a temp file and read like standalone mode reads it.</summary>
internal static class PoolManifests
{
    public static string Vnc(string name = "vnc", int gatewayPort = 5900, string extra = "") => $"""
        apiVersion: desktop-operator.io/v1alpha1
        kind: DesktopPool
        metadata:
          name: {name}
        spec:
          staticHosts:
            - name: host-a
              address: 127.0.0.11
            - name: host-b
              address: 127.0.0.12
              weight: 3
          protocols:
            - name: vnc
              kind: Vnc
              port: 5901
              gatewayPort: {gatewayPort}
          affinity:
            key: SourceIP
            resumeFor: 2h
          healthCheck:
            kind: Protocol
            interval: 5s
            vnc:
              security: VncAuth
              passwordFile: /etc/vnc/passwd
        {extra}
        """;

    public static string Write(string folder, string fileName, string text)
    {
        var path = Path.Combine(folder, fileName);
        File.WriteAllText(path, text);
        return path;
    }
}
