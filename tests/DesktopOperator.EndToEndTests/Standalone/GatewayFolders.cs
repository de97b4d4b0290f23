using System.Net;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.EndToEndTests.Standalone;

/// <summary>A test's folders for standalone gateways: manifests, state and logs, kept across restarts, removed at the end.</summary>
internal sealed class GatewayFolders : IDisposable
{
    public GatewayFolders(string prefix)
    {
        Root = HostLogs.CreateDirectory(prefix);
        Manifests = Directory.CreateDirectory(Path.Combine(Root, "manifests")).FullName;
        State = Directory.CreateDirectory(Path.Combine(Root, "state")).FullName;
    }

    public string Root { get; }

    public string Manifests { get; }

    public string State { get; }

    public StandaloneGatewayOptions Options(string name) => new(Manifests, State, IPAddress.Loopback, Root) { Name = name };

    /// <summary>Writes the pool manifest atomically (write aside, rename), as an editor or a deploy tool would.</summary>
    public void WritePool(string file, ProxySetup setup, int gatewayPort)
    {
        var path = Path.Combine(Manifests, file);
        var temporary = Path.Combine(Root, file + ".tmp");
        File.WriteAllText(temporary, GatewayManifests.DesktopPool(GatewayProxy.PoolName, setup, gatewayPort));
        File.Move(temporary, path, overwrite: true);
    }

    public void Dispose() => HostLogs.Remove(Root);
}
