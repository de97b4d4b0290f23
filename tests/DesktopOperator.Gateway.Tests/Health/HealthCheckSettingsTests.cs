using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Health.Probes;

namespace DesktopOperator.Gateway.Tests.Health;

public sealed class HealthCheckSettingsTests
{
    [Fact]
    public void Default_HaproxyLike()
    {
        var settings = HealthCheckSettings.Default;

        Assert.Equal((ProbeKind.Tcp, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), 2, 3), (settings.Kind, settings.Interval, settings.Timeout, settings.Rise, settings.Fall));
        settings.Validate();
    }

    [Theory]
    [InlineData(0, 1000, 2, 3, "/", "Interval")]
    [InlineData(2000, 0, 2, 3, "/", "Timeout")]
    [InlineData(2000, 1000, 0, 3, "/", "Rise")]
    [InlineData(2000, 1000, 2, 0, "/", "Fall")]
    [InlineData(2000, 1000, 2, 3, "healthz", "HttpPath")]
    [InlineData(2000, 1000, 2, 3, "/a\r\nX-Injected: 1", "HttpPath")]
    [InlineData(7_200_000, 1000, 2, 3, "/", "Interval")]
    public void Validate_BadField_NamesIt(int intervalMs, int timeoutMs, int rise, int fall, string path, string field)
    {
        var settings = new HealthCheckSettings
        {
            Kind = ProbeKind.Http,
            Interval = TimeSpan.FromMilliseconds(intervalMs),
            Timeout = TimeSpan.FromMilliseconds(timeoutMs),
            Rise = rise,
            Fall = fall,
            HttpPath = path,
        };

        Assert.Equal(field, Assert.Throws<ArgumentException>(settings.Validate).ParamName);
    }

    [Theory]
    [InlineData("Tcp", HealthProbeNames.Tcp)]
    [InlineData("Http", HealthProbeNames.Http)]
    [InlineData("Vnc", HealthProbeNames.Vnc)]
    [InlineData("Ssh", HealthProbeNames.Ssh)]
    [InlineData("Rdp", HealthProbeNames.Rdp)]
    public void HealthProbes_Create_ProbeOfKind(string kind, string name) =>
        Assert.Equal(name, HealthProbes.Create(new HealthCheckSettings { Kind = Enum.Parse<ProbeKind>(kind) }).Name);
}
