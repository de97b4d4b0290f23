using System.Net;

namespace DesktopOperator.Testing.Desktops;

/// <summary>How to start an <see cref="XvncHost"/>.</summary>
/// <param name="DesktopName">Announced in the RFB ServerInit message: tells a client which host served it.</param>
/// <param name="Address">A loopback address to listen on (each host may get its own, e.g. 127.0.0.11).</param>
/// <param name="Port">The RFB port; 0 picks a free one.</param>
public sealed record XvncHostOptions(string DesktopName, IPAddress Address, int Port = 0)
{
    public string Geometry { get; init; } = "800x600";

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The VNC password (VncAuth, the server's default security, from a <c>vncpasswd -f</c> file). Null starts the
    /// server with <c>-SecurityTypes None</c>: only for a test that needs it and says why, since a password-less
    /// server hides the server's defences against failed logins.
    /// </summary>
    public string? Password { get; init; } = DefaultPassword;

    /// <summary>The password test hosts use unless told otherwise (vncpasswd wants at least 6 characters).</summary>
    public const string DefaultPassword = "desk-top";
}
