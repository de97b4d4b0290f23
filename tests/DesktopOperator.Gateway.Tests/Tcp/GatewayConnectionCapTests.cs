using System.Net.Sockets;
using DesktopOperator.Gateway.Tcp;

namespace DesktopOperator.Gateway.Tests.Tcp;

/// <summary>The cap's arithmetic, the open-file limit's parsing and the accept-error rules (pure).</summary>
public sealed class GatewayConnectionCapTests
{
    [Fact]
    public void TryEnter_AtMax_RefusesUntilOneExits()
    {
        var cap = new GatewayConnectionCap(2);

        Assert.True(cap.TryEnter());
        Assert.True(cap.TryEnter());
        Assert.False(cap.TryEnter());
        Assert.Equal(2, cap.Count);
        cap.Exit();
        Assert.True(cap.TryEnter());
    }

    [Fact]
    public void TryEnter_Unlimited_AlwaysAdmits()
    {
        var cap = GatewayConnectionCap.Unlimited;

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(cap.TryEnter());
        }
    }

    [Theory]
    [InlineData(20_000L, 9_744)]
    [InlineData(2_048L, 768)]
    [InlineData(512L, 1)]
    public void DefaultFor_OpenFileLimit_HalfOfWhatTheReserveLeaves(long limit, int expected) =>
        Assert.Equal(expected, GatewayConnectionCap.DefaultFor(limit));

    [Fact]
    public void DefaultFor_UnknownLimit_NoCap() => Assert.Equal(0, GatewayConnectionCap.DefaultFor(null));

    [Fact]
    public void Parse_ProcSelfLimits_SoftLimit()
    {
        const string limits = """
            Limit                     Soft Limit           Hard Limit           Units
            Max processes             unlimited            unlimited            processes
            Max open files            4096                 20000                files
            Max locked memory         8388608              8388608              bytes
            """;

        Assert.Equal(4096, OpenFileLimit.Parse(limits));
    }

    [Theory]
    [InlineData("Max open files            unlimited            unlimited            files")]
    [InlineData("Max processes             100                  100                  processes")]
    public void Parse_UnlimitedOrMissing_Null(string limits) => Assert.Null(OpenFileLimit.Parse(limits));

    [Fact]
    public void Read_ThisProcess_MatchesTheLimitItRunsUnder()
    {
        // The test host runs under the machine's limit (20,000 here); any Linux process has one.
        var limit = OpenFileLimit.Read();

        Assert.NotNull(limit);
        Assert.True(limit > 0);
    }

    [Theory]
    [InlineData(SocketError.TooManyOpenSockets, "too_many_open_files")]
    [InlineData(SocketError.NoBufferSpaceAvailable, "no_buffer_space")]
    [InlineData(SocketError.ConnectionReset, "other")]
    public void Classify_SocketError_ReasonLabel(SocketError error, string expected) =>
        Assert.Equal(expected, AcceptErrors.Label(AcceptErrors.Classify(new SocketException((int)error))));

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(4, 80)]
    [InlineData(5, 100)]
    [InlineData(1000, 100)]
    public void Backoff_Failures_GrowsFrom10To100Milliseconds(int failures, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), AcceptErrors.Backoff(failures));
}
