using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Api.Validation;

namespace DesktopOperator.Api.Tests.Validation;

/// <summary>The VNC fields: healthCheck.vnc (what a VNC protocol check logs in with) and protocols[].clientLockout.</summary>
public sealed class VncHealthCheckValidationTests
{
    [Fact]
    public void Validate_ProtocolCheckOfVncWithoutVnc_ReportsVncRequired()
    {
        var pool = VncPool();
        pool.Spec.HealthCheck.Kind = HealthCheckKind.Protocol;

        var error = Assert.Single(DesktopPoolValidator.Validate(pool));

        Assert.Equal("spec.healthCheck.vnc", error.Field);
        Assert.Contains("failed login", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TcpCheckOfVnc_NeedsNothing() => Assert.Empty(DesktopPoolValidator.Validate(VncPool()));

    [Fact]
    public void Validate_ProtocolCheckOfVncWithPasswordFile_IsValid()
    {
        var pool = VncPool();
        pool.Spec.HealthCheck.Kind = HealthCheckKind.Protocol;
        pool.Spec.HealthCheck.Vnc = new VncHealthCheckSpec { Security = VncSecurity.VncAuth, PasswordFile = "/etc/vnc/passwd" };

        Assert.Empty(DesktopPoolValidator.Validate(pool));
    }

    [Fact]
    public void Validate_VncAuthWithoutPasswordFile_ReportsPasswordFile()
    {
        var pool = VncPool();
        pool.Spec.HealthCheck.Vnc = new VncHealthCheckSpec { Security = VncSecurity.VncAuth };

        Assert.Equal(["spec.healthCheck.vnc.passwordFile: security VncAuth needs passwordFile"], DesktopPoolValidator.Validate(pool).Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_NoneWithPasswordFile_ReportsPasswordFile()
    {
        var pool = VncPool();
        pool.Spec.HealthCheck.Vnc = new VncHealthCheckSpec { Security = VncSecurity.None, PasswordFile = "/etc/vnc/passwd" };

        Assert.Equal(["spec.healthCheck.vnc.passwordFile: passwordFile is allowed with security VncAuth only"], DesktopPoolValidator.Validate(pool).Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_RelativePasswordFile_ReportsPattern()
    {
        var pool = VncPool();
        pool.Spec.HealthCheck.Vnc = new VncHealthCheckSpec { Security = VncSecurity.VncAuth, PasswordFile = "passwd" };

        Assert.Equal("spec.healthCheck.vnc.passwordFile", Assert.Single(DesktopPoolValidator.Validate(pool)).Field);
    }

    [Fact]
    public void Validate_ClientLockoutOnSsh_ReportsVncOnly()
    {
        var pool = Pools.Static();
        pool.Spec.Protocols[0].ClientLockout = new ClientLockoutSpec();

        Assert.Equal(["spec.protocols[0].clientLockout: clientLockout is allowed for kind Vnc only (kind is Ssh)"], DesktopPoolValidator.Validate(pool).Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_ClientLockoutOutOfRange_ReportsField()
    {
        var pool = VncPool();
        pool.Spec.Protocols[0].ClientLockout = new ClientLockoutSpec { MaxFailures = 101, Window = "soon" };

        Assert.Equal(["spec.protocols[0].clientLockout.maxFailures", "spec.protocols[0].clientLockout.window"], DesktopPoolValidator.Validate(pool).Select(e => e.Field));
    }

    private static DesktopPool VncPool()
    {
        var pool = Pools.Static();
        pool.Spec.Protocols = [new ProtocolSpec { Name = "vnc", Kind = ProtocolKind.Vnc, Port = 5901, GatewayPort = 5900 }];
        return pool;
    }
}
