using System.Text.Json;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Api.Validation;

namespace DesktopOperator.Api.Tests.Validation;

public sealed class DesktopPoolValidatorTests
{
    [Fact]
    public void Validate_ValidStaticPool_ReturnsNoErrors()
    {
        Assert.Empty(DesktopPoolValidator.Validate(Pools.Static()));
    }

    [Fact]
    public void Validate_ValidTemplatePool_ReturnsNoErrors()
    {
        Assert.Empty(DesktopPoolValidator.Validate(Pools.Template()));
    }

    [Theory]
    [InlineData(null, "metadata.name: required")]
    [InlineData("Bad_Name", "metadata.name: 'Bad_Name' must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253)")]
    public void Validate_BadName_ReportsName(string? name, string expected)
    {
        var pool = Pools.Static();
        pool.Metadata.Name = name;
        AssertErrors(pool, expected);
    }

    [Fact]
    public void Validate_BadNamespace_ReportsNamespace()
    {
        var pool = Pools.Static();
        pool.Metadata.NamespaceProperty = "a.b";
        AssertErrors(pool, "metadata.namespace: 'a.b' must be a DNS-1123 label (lower-case letters, digits and '-', at most 63)");
    }

    [Fact]
    public void Validate_TemplateAndStaticHosts_ReportsBoth()
    {
        var pool = Pools.Static();
        pool.Spec.Template = Pools.Template().Spec.Template;
        AssertErrors(pool, "spec: exactly one of template or staticHosts must be set (both are)");
    }

    [Fact]
    public void Validate_NeitherTemplateNorStaticHosts_ReportsNeither()
    {
        var pool = Pools.Static();
        pool.Spec.StaticHosts = null;
        AssertErrors(pool, "spec: exactly one of template or staticHosts must be set (neither is)");
    }

    [Fact]
    public void Validate_TemplateWithoutPodSpec_ReportsRequired()
    {
        var pool = Pools.Template();
        pool.Spec.Template!.Spec = null;
        AssertErrors(pool, "spec.template.spec: required");
    }

    [Fact]
    public void Validate_TemplatePodSpecNotAnObject_ReportsObject()
    {
        var pool = Pools.Template();
        pool.Spec.Template!.Spec = JsonDocument.Parse("[1]").RootElement;
        AssertErrors(pool, "spec.template.spec: must be an object");
    }

    [Fact]
    public void Validate_MinHostsAboveMaxHosts_ReportsMaxHosts()
    {
        var pool = Pools.Template();
        pool.Spec.Capacity.MinHosts = 3;
        pool.Spec.Capacity.MaxHosts = 2;
        AssertErrors(pool, "spec.capacity.maxHosts: must be >= minHosts (3)");
    }

    [Fact]
    public void Validate_MinHostsEqualsMaxHosts_IsValid()
    {
        var pool = Pools.Template();
        pool.Spec.Capacity.MinHosts = 3;
        pool.Spec.Capacity.MaxHosts = 3;
        Assert.Empty(DesktopPoolValidator.Validate(pool));
    }

    [Fact]
    public void Validate_ZeroSessionsPerHost_ReportsRange()
    {
        var pool = Pools.Template();
        pool.Spec.Capacity.SessionsPerHost = 0;
        AssertErrors(pool, "spec.capacity.sessionsPerHost: must be between 1 and 1000 (is 0)");
    }

    [Fact]
    public void Validate_NegativeBuffer_ReportsRange()
    {
        var pool = Pools.Template();
        pool.Spec.Capacity.BufferSessions = -1;
        AssertErrors(pool, "spec.capacity.bufferSessions: must be between 0 and 10000 (is -1)");
    }

    [Theory]
    [InlineData("5 minutes")]
    [InlineData("5")]
    [InlineData("1d")]
    public void Validate_BadScaleDownDelay_ReportsDuration(string delay)
    {
        var pool = Pools.Template();
        pool.Spec.Capacity.ScaleDownDelay = delay;
        AssertErrors(pool, $"spec.capacity.scaleDownDelay: '{delay}' is not a duration such as 30s, 5m or 1h30m");
    }

    [Fact]
    public void Validate_CompoundDuration_IsValid()
    {
        var pool = Pools.Template();
        pool.Spec.Capacity.ScaleDownDelay = "1h30m";
        pool.Spec.Affinity.ResumeFor = "36h";
        pool.Spec.Sessions.IdleTimeout = "45m";
        pool.Spec.Sessions.DisconnectedTimeout = "12h";
        Assert.Empty(DesktopPoolValidator.Validate(pool));
    }

    [Fact]
    public void Validate_DuplicateStaticHostNames_ReportsDuplicate()
    {
        var pool = Pools.Static();
        pool.Spec.StaticHosts![2].Name = "host-1";
        AssertErrors(pool, "spec.staticHosts[2].name: duplicate value 'host-1'");
    }

    [Fact]
    public void Validate_EmptyStaticHosts_ReportsMinItems()
    {
        var pool = Pools.Static();
        pool.Spec.StaticHosts!.Clear();
        AssertErrors(pool, "spec.staticHosts: must have at least 1 item");
    }

    [Theory]
    [InlineData("host name", "spec.staticHosts[0].address: 'host name' must be a host name or an IP address")]
    [InlineData("10.0.0.1:22", "spec.staticHosts[0].address: '10.0.0.1:22' must be a host name or an IP address")]
    [InlineData("", "spec.staticHosts[0].address: required")]
    public void Validate_BadStaticAddress_ReportsAddress(string address, string expected)
    {
        var pool = Pools.Static();
        pool.Spec.StaticHosts![0].Address = address;
        AssertErrors(pool, expected);
    }

    [Fact]
    public void Validate_BadStaticHostName_ReportsPattern()
    {
        var pool = Pools.Static();
        pool.Spec.StaticHosts![0].Name = "Host_1";
        AssertErrors(pool, "spec.staticHosts[0].name: 'Host_1' must be a DNS-1123 label (lower-case letters, digits and '-')");
    }

    [Fact]
    public void Validate_ZeroWeight_ReportsRange()
    {
        var pool = Pools.Static();
        pool.Spec.StaticHosts![0].Weight = 0;
        AssertErrors(pool, "spec.staticHosts[0].weight: must be between 1 and 256 (is 0)");
    }

    [Fact]
    public void Validate_UndefinedStrategy_ReportsEnum()
    {
        var pool = Pools.Static();
        pool.Spec.Balancing.Strategy = (BalancingStrategy)9;
        AssertErrors(pool, "spec.balancing.strategy: must be one of LeastSessions, RoundRobin, Random, SourceHash");
    }

    [Fact]
    public void Validate_BadUserHeader_ReportsPattern()
    {
        var pool = Pools.Template();
        pool.Spec.Affinity.UserHeader = "X Forwarded User";
        AssertErrors(pool, "spec.affinity.userHeader: 'X Forwarded User' must be an HTTP header name");
    }

    [Fact]
    public void Validate_BadResumeFor_ReportsDuration()
    {
        var pool = Pools.Template();
        pool.Spec.Affinity.ResumeFor = "8 hours";
        AssertErrors(pool, "spec.affinity.resumeFor: '8 hours' is not a duration such as 30s, 5m or 1h30m");
    }

    [Fact]
    public void Validate_HealthCheckProtocolUnknown_ReportsProtocol()
    {
        var pool = Pools.Template();
        pool.Spec.HealthCheck.Protocol = "vnc";
        AssertErrors(pool, "spec.healthCheck.protocol: 'vnc' must name one of spec.protocols");
    }

    [Fact]
    public void Validate_HealthCheckProtocolKnown_IsValid()
    {
        var pool = Pools.Template();
        pool.Spec.HealthCheck.Protocol = "web";
        pool.Spec.HealthCheck.Kind = HealthCheckKind.Http;
        pool.Spec.HealthCheck.Path = "/healthz";
        Assert.Empty(DesktopPoolValidator.Validate(pool));
    }

    [Fact]
    public void Validate_TimeoutAboveInterval_ReportsTimeout()
    {
        var pool = Pools.Template();
        pool.Spec.HealthCheck.Interval = "2s";
        pool.Spec.HealthCheck.Timeout = "2500ms";
        AssertErrors(pool, "spec.healthCheck.timeout: must not exceed interval (2s)");
    }

    [Fact]
    public void Validate_TimeoutEqualsInterval_IsValid()
    {
        var pool = Pools.Template();
        pool.Spec.HealthCheck.Interval = "2s";
        pool.Spec.HealthCheck.Timeout = "2000ms";
        Assert.Empty(DesktopPoolValidator.Validate(pool));
    }

    [Theory]
    [InlineData(0, 3, "spec.healthCheck.rise: must be between 1 and 100 (is 0)")]
    [InlineData(2, 101, "spec.healthCheck.fall: must be between 1 and 100 (is 101)")]
    public void Validate_RiseFallOutOfRange_ReportsRange(int rise, int fall, string expected)
    {
        var pool = Pools.Template();
        pool.Spec.HealthCheck.Rise = rise;
        pool.Spec.HealthCheck.Fall = fall;
        AssertErrors(pool, expected);
    }

    [Fact]
    public void Validate_BadHealthCheckPath_ReportsPattern()
    {
        var pool = Pools.Template();
        pool.Spec.HealthCheck.Path = "healthz";
        AssertErrors(pool, "spec.healthCheck.path: 'healthz' must be an absolute URL path such as /healthz");
    }

    [Fact]
    public void Validate_ZeroMaxPerUser_ReportsRange()
    {
        var pool = Pools.Template();
        pool.Spec.Sessions.MaxPerUser = 0;
        AssertErrors(pool, "spec.sessions.maxPerUser: must be between 1 and 100 (is 0)");
    }

    [Fact]
    public void Validate_BadIdleTimeout_ReportsDuration()
    {
        var pool = Pools.Template();
        pool.Spec.Sessions.IdleTimeout = "forever";
        AssertErrors(pool, "spec.sessions.idleTimeout: 'forever' is not a duration such as 30s, 5m or 1h30m");
    }

    [Fact]
    public void Validate_UndefinedWhenFull_ReportsEnum()
    {
        var pool = Pools.Template();
        pool.Spec.Sessions.WhenFull = (FullPoolAction)7;
        AssertErrors(pool, "spec.sessions.whenFull: must be one of Queue, Reject");
    }

    [Fact]
    public void Validate_DuplicateAllowedUser_ReportsDuplicate()
    {
        var pool = Pools.Template();
        pool.Spec.Access.Users = ["alice", "bob", "alice"];
        AssertErrors(pool, "spec.access.users[2]: duplicate value 'alice'");
    }

    [Fact]
    public void Validate_AllowLists_AreValid()
    {
        var pool = Pools.Template();
        pool.Spec.Access.Users = ["alice", "bob"];
        pool.Spec.Access.Groups = ["staff"];
        Assert.Empty(DesktopPoolValidator.Validate(pool));
    }

    [Fact]
    public void Validate_SeveralViolations_ReportsEveryOne()
    {
        var pool = Pools.Static();
        pool.Metadata.Name = null;
        pool.Spec.Capacity.MinHosts = 5;
        pool.Spec.Capacity.MaxHosts = 1;
        pool.Spec.Protocols[0].Port = 0;
        pool.Spec.StaticHosts![1].Weight = 1000;

        var errors = DesktopPoolValidator.Validate(pool).Select(e => e.ToString()).ToList();

        Assert.Equal(
            [
                "metadata.name: required",
                "spec.staticHosts[1].weight: must be between 1 and 256 (is 1000)",
                "spec.protocols[0].port: must be between 1 and 65535 (is 0)",
                "spec.capacity.maxHosts: must be >= minHosts (5)",
            ],
            errors);
    }

    private static void AssertErrors(DesktopPool pool, params string[] expected) =>
        Assert.Equal(expected, DesktopPoolValidator.Validate(pool).Select(e => e.ToString()));
}
