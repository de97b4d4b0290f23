using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>Whose session this is, in which pool, and optionally which host it must use.</summary>
public sealed class SessionRouteSpec
{
    /// <summary>The name of the DesktopPool in the same namespace. Immutable.</summary>
    [Required]
    [Length(1, 253)]
    [Pattern(Patterns.Dns1123Subdomain, "a DNS-1123 subdomain (the name of a DesktopPool)")]
    [CelRule("self == oldSelf", "spec.pool: is immutable")]
    public string Pool { get; set; } = "";

    /// <summary>
    /// The affinity key: the user name, or the client address when the pool's affinity key is SourceIP (or the
    /// protocol carries no user). Immutable.
    /// </summary>
    [Required]
    [Length(1, 256)]
    [CelRule("self == oldSelf", "spec.user: is immutable")]
    public string User { get; set; } = "";

    /// <summary>The pool protocol (spec.protocols[].name) the session was opened with; any protocol when unset.</summary>
    [Length(1, 63)]
    [Pattern(Patterns.Dns1123Label, "a DNS-1123 label (lower-case letters, digits and '-')")]
    public string? Protocol { get; set; }

    /// <summary>A host of the pool the session must use, picked by the user or an admin; chosen by balancing when unset.</summary>
    [Length(1, 253)]
    [Pattern(Patterns.Dns1123Subdomain, "a DNS-1123 subdomain (a host name of the pool)")]
    public string? Host { get; set; }
}
