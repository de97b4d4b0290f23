using System.Net;

namespace DesktopOperator.Testing.Desktops;

/// <summary>How to start an <see cref="XrdpHost"/>.</summary>
/// <param name="HostName">Names the host's section, its Xvnc desktop and its TLS certificate.</param>
/// <param name="Address">A loopback address for xrdp and its own Xvnc.</param>
/// <param name="Port">The RDP port; 0 picks a free one.</param>
public sealed record XrdpHostOptions(string HostName, IPAddress Address, int Port = 0)
{
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
