using System.Globalization;
using System.Text;

namespace DesktopOperator.EndToEndTests.Web;

/// <summary>The manifest of an Http pool <c>web</c> at <c>/web/</c> (namespace default) over static hosts, TCP-checked every second.</summary>
internal static class WebPool
{
    public const string Key = "default/web";

    public static string Manifest(int port, int sessionsPerHost, params (string Name, string Address)[] hosts)
    {
        var text = new StringBuilder()
            .AppendLine("apiVersion: desktop-operator.io/v1alpha1")
            .AppendLine("kind: DesktopPool")
            .AppendLine("metadata:")
            .AppendLine("  name: web")
            .AppendLine("spec:")
            .AppendLine("  staticHosts:");
        foreach (var (name, address) in hosts)
        {
            text.AppendLine($"    - name: {name}").AppendLine($"      address: {address}");
        }

        return text
            .AppendLine("  protocols:")
            .AppendLine("    - name: web")
            .AppendLine("      kind: Http")
            .AppendLine($"      port: {port.ToString(CultureInfo.InvariantCulture)}")
            .AppendLine("      path: /web/")
            .AppendLine("  capacity:")
            .AppendLine($"    sessionsPerHost: {sessionsPerHost.ToString(CultureInfo.InvariantCulture)}")
            .AppendLine("  affinity:")
            .AppendLine("    key: User")
            .AppendLine("  healthCheck:")
            .AppendLine("    kind: Tcp")
            .AppendLine("    interval: 1s")
            .AppendLine("    timeout: 1s")
            .AppendLine("    rise: 1")
            .AppendLine("    fall: 1")
            .ToString();
    }
}
