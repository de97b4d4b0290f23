using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Api.Validation;

namespace DesktopOperator.Api.Tests.Validation;

public sealed class SessionRouteValidatorTests
{
    [Fact]
    public void Validate_ValidRoute_ReturnsNoErrors()
    {
        Assert.Empty(SessionRouteValidator.Validate(Route()));
    }

    [Fact]
    public void Validate_MinimalRoute_ReturnsNoErrors()
    {
        var route = Route();
        route.Spec.Protocol = null;
        route.Spec.Host = null;
        Assert.Empty(SessionRouteValidator.Validate(route));
    }

    [Fact]
    public void Validate_MissingPoolAndUser_ReportsBoth()
    {
        var route = Route();
        route.Spec.Pool = "";
        route.Spec.User = "";
        AssertErrors(route, "spec.pool: required", "spec.user: required");
    }

    [Fact]
    public void Validate_BadPoolName_ReportsPattern()
    {
        var route = Route();
        route.Spec.Pool = "X2GO";
        AssertErrors(route, "spec.pool: 'X2GO' must be a DNS-1123 subdomain (the name of a DesktopPool)");
    }

    [Fact]
    public void Validate_UserTooLong_ReportsLength()
    {
        var route = Route();
        route.Spec.User = new string('u', 257);
        AssertErrors(route, "spec.user: must be at most 256 characters (is 257)");
    }

    [Fact]
    public void Validate_UserWithDomainOrAddress_IsValid()
    {
        var route = Route();
        route.Spec.User = @"CORP\alice";
        Assert.Empty(SessionRouteValidator.Validate(route));
        route.Spec.User = "2001:db8::7";
        Assert.Empty(SessionRouteValidator.Validate(route));
    }

    [Fact]
    public void Validate_BadProtocol_ReportsPattern()
    {
        var route = Route();
        route.Spec.Protocol = "SSH";
        AssertErrors(route, "spec.protocol: 'SSH' must be a DNS-1123 label (lower-case letters, digits and '-')");
    }

    [Fact]
    public void Validate_BadHost_ReportsPattern()
    {
        var route = Route();
        route.Spec.Host = "host 2";
        AssertErrors(route, "spec.host: 'host 2' must be a DNS-1123 subdomain (a host name of the pool)");
    }

    [Fact]
    public void Validate_MissingName_ReportsName()
    {
        var route = Route();
        route.Metadata.Name = "";
        AssertErrors(route, "metadata.name: required");
    }

    [Fact]
    public void ValidateUpdate_PoolChanged_ReportsImmutable()
    {
        var changed = Route();
        changed.Spec.Pool = "other";
        Assert.Equal(["spec.pool: pool is immutable (was 'x2go')"], SessionRouteValidator.ValidateUpdate(Route(), changed).Select(e => e.ToString()));
    }

    [Fact]
    public void ValidateUpdate_UserChanged_ReportsImmutable()
    {
        var changed = Route();
        changed.Spec.User = "carol";
        Assert.Equal(["spec.user: user is immutable (was 'bob')"], SessionRouteValidator.ValidateUpdate(Route(), changed).Select(e => e.ToString()));
    }

    [Fact]
    public void ValidateUpdate_HostChanged_IsValid()
    {
        var changed = Route();
        changed.Spec.Host = "host-3";
        Assert.Empty(SessionRouteValidator.ValidateUpdate(Route(), changed));
    }

    [Fact]
    public void ValidateAgainstPool_MatchingPool_ReturnsNoErrors()
    {
        Assert.Empty(SessionRouteValidator.ValidateAgainstPool(Route(), Pools.Static()));
    }

    [Fact]
    public void ValidateAgainstPool_UnknownProtocolAndHost_ReportsBoth()
    {
        var route = Route();
        route.Spec.Protocol = "rdp";
        route.Spec.Host = "host-9";
        Assert.Equal(
            ["spec.protocol: 'rdp' is not a protocol of pool 'x2go'", "spec.host: 'host-9' is not a host of pool 'x2go'"],
            SessionRouteValidator.ValidateAgainstPool(route, Pools.Static()).Select(e => e.ToString()));
    }

    [Fact]
    public void ValidateAgainstPool_OtherPool_ReportsPool()
    {
        var route = Route();
        route.Spec.Pool = "rdp";
        route.Spec.Protocol = null;
        route.Spec.Host = null;
        Assert.Equal(
            ["spec.pool: 'rdp' is not the pool 'x2go'"],
            SessionRouteValidator.ValidateAgainstPool(route, Pools.Static()).Select(e => e.ToString()));
    }

    private static SessionRoute Route() => new()
    {
        Metadata = { Name = "x2go-bob" },
        Spec = new SessionRouteSpec { Pool = "x2go", User = "bob", Protocol = "ssh", Host = "host-2" },
    };

    private static void AssertErrors(SessionRoute route, params string[] expected) =>
        Assert.Equal(expected, SessionRouteValidator.Validate(route).Select(e => e.ToString()));
}
