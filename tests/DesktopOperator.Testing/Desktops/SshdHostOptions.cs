using System.Net;

namespace DesktopOperator.Testing.Desktops;

/// <summary>How to start an <see cref="SshdHost"/>.</summary>
/// <param name="HostName">Printed first by every session (a forced command): tells a client which host served it.</param>
/// <param name="Address">A loopback address to listen on.</param>
/// <param name="Port">0 picks a free port.</param>
/// <param name="ClientKey">The client key to authorise; null makes one for this host (<see cref="SshdHost.ClientKey"/>).</param>
public sealed record SshdHostOptions(string HostName, IPAddress Address, int Port = 0, SshClientKey? ClientKey = null)
{
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
