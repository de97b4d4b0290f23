using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>
/// The gateway's active health check of each host. A host turns healthy after <c>rise</c> passing probes in a row
/// and unhealthy after <c>fall</c> failing ones (HAProxy's <c>inter</c>, <c>rise</c>, <c>fall</c>).
/// </summary>
[CelRule("duration(self.timeout) <= duration(self.interval)", "spec.healthCheck.timeout: must not exceed interval")]
public sealed class HealthCheckSpec
{
    /// <summary>Tcp, Http or Protocol.</summary>
    public HealthCheckKind Kind { get; set; } = HealthCheckKind.Tcp;

    /// <summary>The name of the protocol (spec.protocols[].name) whose port is probed; the first protocol when unset.</summary>
    [Length(1, 63)]
    [Pattern(Patterns.Dns1123Label, "a DNS-1123 label (lower-case letters, digits and '-')")]
    public string? Protocol { get; set; }

    /// <summary>The path an Http check requests.</summary>
    [Length(1, 256)]
    [Pattern(Patterns.UrlPath, "an absolute URL path such as /healthz")]
    public string Path { get; set; } = "/";

    /// <summary>Time between probes of one host.</summary>
    [Duration]
    [Length(1, 32)]
    public string Interval { get; set; } = "2s";

    /// <summary>How long one probe may take.</summary>
    [Duration]
    [Length(1, 32)]
    public string Timeout { get; set; } = "1s";

    /// <summary>
    /// Required for a Protocol check of a Vnc protocol: the security the check completes (a check that hung up before
    /// authentication would count as a failed login on the server). Tcp checks (connect, then reset) need nothing.
    /// </summary>
    public VncHealthCheckSpec? Vnc { get; set; }

    /// <summary>Passing probes in a row that make an unhealthy host healthy.</summary>
    [Range(1, 100)]
    public int Rise { get; set; } = 2;

    /// <summary>Failing probes in a row that make a healthy host unhealthy.</summary>
    [Range(1, 100)]
    public int Fall { get; set; } = 3;
}
