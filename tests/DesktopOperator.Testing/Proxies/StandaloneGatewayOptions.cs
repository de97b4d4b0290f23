using System.Net;

namespace DesktopOperator.Testing.Proxies;

/// <summary>
/// How to start a <see cref="StandaloneGateway"/>: its manifest and state folders, the address its gateway ports
/// listen on, and the folder for its logs.
/// </summary>
public sealed record StandaloneGatewayOptions(string Manifests, string State, IPAddress ListenAddress, string Directory)
{
    /// <summary>Connect and idle timeouts come from here when set.</summary>
    public ProxySetup? Setup { get; init; }

    /// <summary>The process's name: its log files are <c>NAME.stdout.log</c> and <c>NAME.stderr.log</c>.</summary>
    public string Name { get; init; } = "gateway";

    /// <summary>The desktop-operator executable; null: <see cref="GatewayProxy.FindExecutable"/>.</summary>
    public string? Executable { get; init; }

    /// <summary>More options, e.g. <c>--handshake-timeout 1s</c>.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}
