namespace DesktopOperator.Gateway.Health;

/// <summary>
/// One pool's active check, with HAProxy's defaults (<c>inter 2s</c>, <c>timeout check 1s</c>, <c>rise 2</c>,
/// <c>fall 3</c>). Passive reports from the proxies count toward <see cref="Fall"/> like failed checks.
/// </summary>
internal sealed record HealthCheckSettings
{
    /// <summary>Upper bound of interval and timeout: far beyond any sensible check, well within timer limits.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);

    public static HealthCheckSettings Default { get; } = new();

    public ProbeKind Kind { get; init; } = ProbeKind.Tcp;

    /// <summary>Request path of an <see cref="ProbeKind.Http"/> check; 2xx and 3xx answers pass.</summary>
    public string HttpPath { get; init; } = "/";

    /// <summary>
    /// Required by a <see cref="ProbeKind.Vnc"/> check: the security it completes. Without one the check could
    /// only hang up before authentication, which VNC servers count as a failed login (use the TCP check instead).
    /// </summary>
    public VncCheckSecurity? VncSecurity { get; init; }

    /// <summary>A <c>vncpasswd -f</c> file, read before each <see cref="VncCheckSecurity.VncAuth"/> check.</summary>
    public string? VncPasswordFile { get; init; }

    /// <summary>Time from the end of one check to the start of the next.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Bound on one check, connect included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive passing checks that bring an unhealthy host back.</summary>
    public int Rise { get; init; } = 2;

    /// <summary>Consecutive failures (checks or passive reports) that take a host out.</summary>
    public int Fall { get; init; } = 3;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    public void Validate()
    {
        if (Interval <= TimeSpan.Zero || Interval > MaxDuration)
        {
            throw new ArgumentException($"interval must be positive and at most {MaxDuration}, got {Interval}.", nameof(Interval));
        }

        if (Timeout <= TimeSpan.Zero || Timeout > MaxDuration)
        {
            throw new ArgumentException($"timeout must be positive and at most {MaxDuration}, got {Timeout}.", nameof(Timeout));
        }

        if (Rise < 1 || Fall < 1)
        {
            throw new ArgumentException($"rise and fall must be at least 1, got {Rise} and {Fall}.", Rise < 1 ? nameof(Rise) : nameof(Fall));
        }

        if (Kind == ProbeKind.Http && (!HttpPath.StartsWith('/') || HttpPath.AsSpan().IndexOfAny("\r\n ") >= 0))
        {
            throw new ArgumentException($"httpPath must start with '/' and hold no spaces or line breaks, got '{HttpPath}'.", nameof(HttpPath));
        }

        if (Kind == ProbeKind.Vnc && VncSecurity is null)
        {
            throw new ArgumentException("a VNC protocol check needs vnc.security (None or VncAuth): hanging up before authentication counts as a failed login on the server.", nameof(VncSecurity));
        }

        if (Kind == ProbeKind.Vnc && VncSecurity == VncCheckSecurity.VncAuth && string.IsNullOrWhiteSpace(VncPasswordFile))
        {
            throw new ArgumentException("vnc.security VncAuth needs vnc.passwordFile (a vncpasswd -f file).", nameof(VncPasswordFile));
        }
    }
}
