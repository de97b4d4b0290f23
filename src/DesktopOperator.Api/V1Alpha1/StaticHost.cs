using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>An existing machine that serves sessions.</summary>
public sealed class StaticHost
{
    /// <summary>The host's name within the pool (a DNS-1123 label): what users pick and routes record.</summary>
    [Required]
    [Length(1, 63)]
    [Pattern(Patterns.Dns1123Label, "a DNS-1123 label (lower-case letters, digits and '-')")]
    public string Name { get; set; } = "";

    /// <summary>Host name or IP address the gateway connects to.</summary>
    [Required]
    [Length(1, 253)]
    [Pattern(Patterns.HostAddress, "a host name or an IP address")]
    public string Address { get; set; } = "";

    /// <summary>Relative share of new sessions, for hosts of unequal size.</summary>
    [Range(1, 256)]
    public int Weight { get; set; } = 1;
}
