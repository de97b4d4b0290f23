using DesktopOperator.Api.V1Alpha1;
namespace DesktopOperator.Gateway.Model;

/// <summary>One protocol a pool exposes: its name (what a listener and a request refer to), kind and the host's port.</summary>
internal sealed record GatewayProtocol(string Name, ProtocolKind Kind, int HostPort);
