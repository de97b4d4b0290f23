using System.Text.Json.Serialization;
using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>
/// One protocol of a pool. TCP kinds (Rdp, Vnc, Ssh, Tcp) get a port of their own on the gateway; Http is served on
/// the gateway's HTTP listener under a path and/or host name.
/// </summary>
[CelRule("self.kind == 'Http' || has(self.gatewayPort)", "spec.protocols[].gatewayPort: required for kinds Rdp, Vnc, Ssh and Tcp")]
[CelRule("self.kind != 'Http' || !has(self.gatewayPort)",
    "spec.protocols[].gatewayPort: not allowed for kind Http (it is served on the gateway's HTTP listener)")]
[CelRule("self.kind != 'Http' || has(self.path) || has(self.hostname)", "spec.protocols[]: kind Http needs a path or a hostname")]
[CelRule("self.kind == 'Http' || (!has(self.path) && !has(self.hostname))", "spec.protocols[]: path and hostname are allowed for kind Http only")]
[CelRule("self.kind != 'Http' || self.proxyProtocol == 'None'", "spec.protocols[].proxyProtocol: allowed for TCP kinds only")]
[CelRule("self.kind == 'Vnc' || !has(self.clientLockout)", "spec.protocols[].clientLockout: allowed for kind Vnc only")]
public sealed class ProtocolSpec
{
    /// <summary>The protocol's name within the pool (a DNS-1123 label, e.g. <c>rdp</c>).</summary>
    [Required]
    [Length(1, 63)]
    [Pattern(Patterns.Dns1123Label, "a DNS-1123 label (lower-case letters, digits and '-')")]
    public string Name { get; set; } = "";

    /// <summary>How the gateway handles the protocol: Rdp, Vnc, Ssh, Http or Tcp.</summary>
    [Required]
    [JsonRequired]
    public ProtocolKind Kind { get; set; }

    /// <summary>The port the hosts serve the protocol on.</summary>
    [Required]
    [JsonRequired]
    [Range(1, 65535)]
    public int Port { get; set; }

    /// <summary>The gateway port clients connect to (TCP kinds only; unique within the pool).</summary>
    [Range(1, 65535)]
    public int? GatewayPort { get; set; }

    /// <summary>The URL path prefix the gateway serves the desktop under (Http only), e.g. <c>/desktop/</c>.</summary>
    [Length(1, 256)]
    [Pattern(Patterns.UrlPath, "an absolute URL path such as /desktop/")]
    public string? Path { get; set; }

    /// <summary>The host name the gateway serves the desktop for (Http only), e.g. <c>desktop.example.com</c>.</summary>
    [Length(1, 253)]
    [Pattern(Patterns.Dns1123Subdomain, "a lower-case DNS name")]
    public string? Hostname { get; set; }

    /// <summary>Send a PROXY protocol header to the host (TCP kinds only): None or V2.</summary>
    public ProxyProtocolMode ProxyProtocol { get; set; } = ProxyProtocolMode.None;

    /// <summary>
    /// Vnc only: lock out a client address after failed logins, before the server blacklists the gateway's address.
    /// Defaults apply when unset.
    /// </summary>
    public ClientLockoutSpec? ClientLockout { get; set; }
}
