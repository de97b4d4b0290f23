namespace DesktopOperator.Gateway.Tcp.Vnc;

/// <summary>How the RFB security phase of one proxied connection ended, as far as the gateway can see it.</summary>
internal enum VncSecurityOutcome
{
    /// <summary>SecurityResult OK (or security None where no result is sent).</summary>
    Passed,

    /// <summary>SecurityResult failed: a wrong password.</summary>
    Failed,

    /// <summary>The client left before the SecurityResult: the server counts this as a failed login too.</summary>
    Abandoned,

    /// <summary>The host closed or failed before the SecurityResult: not the client's doing.</summary>
    HostEnded,

    /// <summary>Not visible: not RFB 3.x, a refusal, or a security type whose result is encrypted (VeNCrypt, TLS).</summary>
    NotInspected,
}
