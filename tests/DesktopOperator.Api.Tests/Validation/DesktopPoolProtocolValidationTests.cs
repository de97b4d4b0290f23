using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Api.Validation;

namespace DesktopOperator.Api.Tests.Validation;

/// <summary>DesktopPoolValidator on spec.protocols: names, ports, kinds and the Http/TCP split.</summary>
public sealed class DesktopPoolProtocolValidationTests
{
    [Fact]
    public void Validate_NoProtocols_ReportsMinItems()
    {
        var pool = Pools.Static();
        pool.Spec.Protocols.Clear();
        AssertErrors(pool, "spec.protocols: must have at least 1 item");
    }

    [Fact]
    public void Validate_TooManyProtocols_ReportsMaxItems()
    {
        var pool = Pools.Static();
        pool.Spec.Protocols = Enumerable.Range(1, 17)
            .Select(i => new ProtocolSpec { Name = $"p{i}", Kind = ProtocolKind.Tcp, Port = 1000 + i, GatewayPort = 2000 + i })
            .ToList();
        AssertErrors(pool, "spec.protocols: must have at most 16 items (has 17)");
    }

    [Theory]
    [InlineData("RDP", "spec.protocols[0].name: 'RDP' must be a DNS-1123 label (lower-case letters, digits and '-')")]
    [InlineData("-rdp", "spec.protocols[0].name: '-rdp' must be a DNS-1123 label (lower-case letters, digits and '-')")]
    [InlineData("", "spec.protocols[0].name: required")]
    public void Validate_BadProtocolName_ReportsName(string name, string expected)
    {
        var pool = Pools.Static();
        pool.Spec.Protocols[0].Name = name;
        AssertErrors(pool, expected);
    }

    [Fact]
    public void Validate_ProtocolNameTooLong_ReportsLength()
    {
        var pool = Pools.Static();
        pool.Spec.Protocols[0].Name = new string('a', 64);
        AssertErrors(pool, "spec.protocols[0].name: must be at most 63 characters (is 64)");
    }

    [Fact]
    public void Validate_DuplicateProtocolNames_ReportsDuplicate()
    {
        var pool = Pools.Static();
        pool.Spec.Protocols.Add(new ProtocolSpec { Name = "ssh", Kind = ProtocolKind.Ssh, Port = 22, GatewayPort = 2223 });
        AssertErrors(pool, "spec.protocols[1].name: duplicate value 'ssh'");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Validate_PortOutOfRange_ReportsRange(int port)
    {
        var pool = Pools.Static();
        pool.Spec.Protocols[0].Port = port;
        AssertErrors(pool, $"spec.protocols[0].port: must be between 1 and 65535 (is {port})");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65535)]
    public void Validate_PortAtLimits_IsValid(int port)
    {
        var pool = Pools.Static();
        pool.Spec.Protocols[0].Port = port;
        pool.Spec.Protocols[0].GatewayPort = port;
        Assert.Empty(DesktopPoolValidator.Validate(pool));
    }

    [Fact]
    public void Validate_GatewayPortOutOfRange_ReportsRange()
    {
        var pool = Pools.Static();
        pool.Spec.Protocols[0].GatewayPort = 70000;
        AssertErrors(pool, "spec.protocols[0].gatewayPort: must be between 1 and 65535 (is 70000)");
    }

    [Fact]
    public void Validate_UndefinedKind_ReportsEnum()
    {
        var pool = Pools.Static();
        pool.Spec.Protocols[0].Kind = (ProtocolKind)42;
        var errors = DesktopPoolValidator.Validate(pool).Select(e => e.ToString()).ToList();
        Assert.Contains("spec.protocols[0].kind: must be one of Rdp, Vnc, Ssh, Http, Tcp", errors);
    }

    [Fact]
    public void Validate_TcpKindWithoutGatewayPort_ReportsRequired()
    {
        var pool = Pools.Static();
        pool.Spec.Protocols[0].GatewayPort = null;
        AssertErrors(pool, "spec.protocols[0].gatewayPort: gatewayPort is required for kind Ssh");
    }

    [Fact]
    public void Validate_TcpKindWithPath_ReportsHttpOnly()
    {
        var pool = Pools.Static();
        pool.Spec.Protocols[0].Path = "/x/";
        AssertErrors(pool, "spec.protocols[0]: path and hostname are allowed for kind Http only (kind is Ssh)");
    }

    [Fact]
    public void Validate_TcpKindWithProxyProtocol_IsValid()
    {
        var pool = Pools.Static();
        pool.Spec.Protocols[0].ProxyProtocol = ProxyProtocolMode.V2;
        Assert.Empty(DesktopPoolValidator.Validate(pool));
    }

    [Fact]
    public void Validate_HttpWithGatewayPort_ReportsNotAllowed()
    {
        var pool = Pools.Template();
        pool.Spec.Protocols[1].GatewayPort = 8080;
        AssertErrors(pool, "spec.protocols[1].gatewayPort: gatewayPort is not allowed for kind Http (it is served on the gateway's HTTP listener)");
    }

    [Fact]
    public void Validate_HttpWithoutPathOrHostname_ReportsNeeded()
    {
        var pool = Pools.Template();
        pool.Spec.Protocols[1].Path = null;
        AssertErrors(pool, "spec.protocols[1]: kind Http needs a path or a hostname");
    }

    [Fact]
    public void Validate_HttpWithHostnameOnly_IsValid()
    {
        var pool = Pools.Template();
        pool.Spec.Protocols[1].Path = null;
        pool.Spec.Protocols[1].Hostname = "desktop.example.com";
        Assert.Empty(DesktopPoolValidator.Validate(pool));
    }

    [Fact]
    public void Validate_HttpWithProxyProtocol_ReportsTcpOnly()
    {
        var pool = Pools.Template();
        pool.Spec.Protocols[1].ProxyProtocol = ProxyProtocolMode.V2;
        AssertErrors(pool, "spec.protocols[1].proxyProtocol: proxyProtocol is allowed for TCP kinds only");
    }

    [Theory]
    [InlineData("desktop/", "spec.protocols[1].path: 'desktop/' must be an absolute URL path such as /desktop/")]
    [InlineData("/a b", "spec.protocols[1].path: '/a b' must be an absolute URL path such as /desktop/")]
    public void Validate_BadPath_ReportsPattern(string path, string expected)
    {
        var pool = Pools.Template();
        pool.Spec.Protocols[1].Path = path;
        AssertErrors(pool, expected);
    }

    [Fact]
    public void Validate_BadHostname_ReportsPattern()
    {
        var pool = Pools.Template();
        pool.Spec.Protocols[1].Hostname = "Desktop.Example.com";
        AssertErrors(pool, "spec.protocols[1].hostname: 'Desktop.Example.com' must be a lower-case DNS name");
    }

    [Fact]
    public void Validate_DuplicateGatewayPorts_ReportsPort()
    {
        var pool = Pools.Static();
        pool.Spec.Protocols.Add(new ProtocolSpec { Name = "ssh2", Kind = ProtocolKind.Ssh, Port = 22, GatewayPort = 2222 });
        AssertErrors(pool, "spec.protocols[1].gatewayPort: gateway port 2222 is already used by protocol 'ssh'");
    }

    private static void AssertErrors(DesktopPool pool, params string[] expected) =>
        Assert.Equal(expected, DesktopPoolValidator.Validate(pool).Select(e => e.ToString()));
}
