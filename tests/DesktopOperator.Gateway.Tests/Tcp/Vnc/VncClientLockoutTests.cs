using System.Diagnostics.Metrics;
using System.Net;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Vnc;
using DesktopOperator.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Gateway.Tests.Tcp.Vnc;

public sealed class VncClientLockoutTests : IDisposable
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.2");
    private readonly Meter _meter = new("test.vnc-lockout");
    private readonly ManualTimeProvider _time = new();
    private readonly VncClientLockout _lockout;

    public VncClientLockoutTests() => _lockout = new VncClientLockout(
        new VncClientLockoutSettings(3, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30)),
        new TcpProxyListenerSettings("default/pool", "vnc", TcpProtocolKind.Vnc),
        new TcpProxyMetrics(_meter),
        _time,
        NullLogger.Instance);

    public void Dispose() => _meter.Dispose();

    [Fact]
    public void Record_ThreeFailuresInARow_LockedOutForTheBackoffOnly()
    {
        Fail(A, 3);

        Assert.True(_lockout.IsLockedOut(A));
        Assert.False(_lockout.IsLockedOut(B));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(_lockout.IsLockedOut(A));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(_lockout.IsLockedOut(A));
    }

    [Fact]
    public void Record_FailuresOlderThanTheWindow_Forgotten()
    {
        Fail(A, 2);
        _time.Advance(TimeSpan.FromSeconds(61));
        Fail(A, 2);

        Assert.False(_lockout.IsLockedOut(A));
        Fail(A, 1);
        Assert.True(_lockout.IsLockedOut(A));
    }

    [Fact]
    public void Record_OutcomesNotTheClientsDoing_NeverCount()
    {
        for (var i = 0; i < 10; i++)
        {
            _lockout.Record(A, VncSecurityOutcome.HostEnded);
            _lockout.Record(A, VncSecurityOutcome.NotInspected);
        }

        Assert.False(_lockout.IsLockedOut(A));
    }

    [Fact]
    public void Record_AbandonedCountsLikeRejected()
    {
        _lockout.Record(A, VncSecurityOutcome.Abandoned);
        _lockout.Record(A, VncSecurityOutcome.Failed);
        _lockout.Record(A, VncSecurityOutcome.Abandoned);

        Assert.True(_lockout.IsLockedOut(A));
    }

    [Fact]
    public void Record_PassedClearsTheCount()
    {
        Fail(A, 2);
        _lockout.Record(A, VncSecurityOutcome.Passed);
        Fail(A, 2);

        Assert.False(_lockout.IsLockedOut(A));
    }

    private void Fail(IPAddress client, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _lockout.Record(client, VncSecurityOutcome.Failed);
        }
    }
}
