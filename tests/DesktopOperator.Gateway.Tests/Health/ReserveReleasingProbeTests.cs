using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Health.Probes;
using DesktopOperator.Gateway.Tcp.Accept;

namespace DesktopOperator.Gateway.Tests.Health;

public sealed class ReserveReleasingProbeTests
{
    [Fact]
    public async Task ProbeAsync_NoSocketForTheCheck_ReleasesTheReserveAndReturnsTheResult()
    {
        using var reserve = new DescriptorReserve(2, new RecordingLogger<DescriptorReserve>());
        var inner = new ScriptedProbe();
        var notRun = new ProbeResult(ProbeOutcome.NotRun, "the gateway is out of file descriptors");
        inner.Answer(notRun);
        var probe = ReserveReleasingProbe.Wrap(inner, reserve);

        var result = await probe.ProbeAsync("127.0.0.1", 1, CancellationToken.None);

        Assert.Equal(notRun, result);
        Assert.Equal("scripted", probe.Name);
        Assert.True(reserve.IsReleased);
        Assert.Equal(0, reserve.Held);
    }

    [Fact]
    public async Task ProbeAsync_TheCheckRan_KeepsTheReserve()
    {
        foreach (var outcome in new[] { ProbeOutcome.Success, ProbeOutcome.ConnectFailed, ProbeOutcome.Timeout })
        {
            using var reserve = new DescriptorReserve(2, new RecordingLogger<DescriptorReserve>());
            var inner = new ScriptedProbe();
            inner.Answer(new ProbeResult(outcome));

            var result = await ReserveReleasingProbe.Wrap(inner, reserve).ProbeAsync("127.0.0.1", 1, CancellationToken.None);

            Assert.Equal(outcome, result.Outcome);
            Assert.False(reserve.IsReleased, outcome.ToString());
            Assert.Equal(2, reserve.Held);
        }
    }

    [Fact]
    public void Wrap_NoReserve_TheProbeItself()
    {
        var inner = new ScriptedProbe();

        Assert.Same(inner, ReserveReleasingProbe.Wrap(inner, null));
    }
}
