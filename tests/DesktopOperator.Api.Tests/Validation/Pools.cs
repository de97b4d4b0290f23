using System.Text.Json;
using DesktopOperator.Api.V1Alpha1;

namespace DesktopOperator.Api.Tests.Validation;

/// <summary>Valid pools to break one rule at a time.</summary>
internal static class Pools
{
    public static DesktopPool Static() => new()
    {
        Metadata = { Name = "x2go", NamespaceProperty = "desktops" },
        Spec = new DesktopPoolSpec
        {
            StaticHosts =
            [
                new StaticHost { Name = "host-1", Address = "10.0.0.11", Weight = 2 },
                new StaticHost { Name = "host-2", Address = "ts2.example.internal" },
                new StaticHost { Name = "host-3", Address = "fd00::13" },
            ],
            Protocols = [new ProtocolSpec { Name = "ssh", Kind = ProtocolKind.Ssh, Port = 22, GatewayPort = 2222 }],
        },
    };

    public static DesktopPool Template() => new()
    {
        Metadata = { Name = "rdp" },
        Spec = new DesktopPoolSpec
        {
            Template = new HostTemplate
            {
                Metadata = new TemplateMetadata { Labels = new Dictionary<string, string> { ["app"] = "xrdp" } },
                Spec = JsonDocument.Parse("""{"containers":[{"name":"desktop","image":"xrdp:1"}]}""").RootElement,
            },
            Protocols =
            [
                new ProtocolSpec { Name = "rdp", Kind = ProtocolKind.Rdp, Port = 3389, GatewayPort = 3389 },
                new ProtocolSpec { Name = "web", Kind = ProtocolKind.Http, Port = 6901, Path = "/desktop/" },
            ],
        },
    };
}
