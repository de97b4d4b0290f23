using System.Text;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Health.Probes;

namespace DesktopOperator.Gateway.Tests.Health;

/// <summary>
/// The VNC probe against a fake RFB server that runs the handshake like a real one: the probe must finish security
/// where it can (see <see cref="VncBannerProbe"/> on TigerVNC's blacklist) and never hang on nonsense.
/// </summary>
public sealed class VncBannerProbeTests : IDisposable
{
    private readonly List<string> _passwordFiles = [];

    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("RFB 003.008\n", "RFB 003.008\n", true)]
    [InlineData("RFB 003.007\n", "RFB 003.007\n", true)]
    [InlineData("RFB 003.003\n", "RFB 003.003\n", false)]
    [InlineData("RFB 003.005\n", "RFB 003.003\n", false)]
    [InlineData("RFB 003.889\n", "RFB 003.008\n", true)]
    public async Task Rfb3Server_OffersNone_SuccessAfterAnsweringVersionAndChoosingNone(string banner, string reply, bool clientChooses)
    {
        var rfb = new FakeRfbServer(banner) { SecurityTypes = [2, 1], ServerChosenType = 1 };
        await using var server = new LoopbackServer(rfb.HandleAsync);

        var result = await ProbeAssert.RunAsync(None(), server.Port);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        byte[] expected = clientChooses ? [.. Encoding.ASCII.GetBytes(reply), 1] : Encoding.ASCII.GetBytes(reply);
        Assert.Equal(expected, await rfb.FirstTranscript.WaitAsync(WaitLimit));
    }

    private static VncBannerProbe None() => new(VncCheckSecurity.None);

    /// <summary>A password file as the gateway reads it (vncpasswd -f format), made by our encoder (VncAuthTests checks it against vncpasswd).</summary>
    private async Task<string> PasswordFileAsync(string password)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vnc-probe-{Guid.NewGuid():N}.passwd");
        _passwordFiles.Add(path);
        await File.WriteAllBytesAsync(path, Tcp.Vnc.VncAuthTests.EncodePasswordFile(password));
        return path;
    }

    public void Dispose()
    {
        foreach (var path in _passwordFiles)
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Rfb38_OffersNone_SendsExactlyVersionAndNoneByte()
    {
        var rfb = new FakeRfbServer("RFB 003.008\n");
        await using var server = new LoopbackServer(rfb.HandleAsync);

        Assert.Equal(ProbeOutcome.Success, (await ProbeAssert.RunAsync(None(), server.Port)).Outcome);
        Assert.Equal("RFB 003.008\n\u0001", Encoding.ASCII.GetString(await rfb.FirstTranscript.WaitAsync(WaitLimit)));
    }

    [Fact]
    public async Task Rfb33_ServerChoosesNone_SendsExactlyVersion33()
    {
        var rfb = new FakeRfbServer("RFB 003.003\n");
        await using var server = new LoopbackServer(rfb.HandleAsync);

        Assert.Equal(ProbeOutcome.Success, (await ProbeAssert.RunAsync(None(), server.Port)).Outcome);
        Assert.Equal("RFB 003.003\n", Encoding.ASCII.GetString(await rfb.FirstTranscript.WaitAsync(WaitLimit)));
    }

    [Fact]
    public async Task Rfb37_ChoosesNone_DoesNotWaitForSecurityResultThatNeverComes()
    {
        // A 3.7 server answers None with nothing (RFC 6143 7.2.1): waiting for a SecurityResult would time out.
        var rfb = new FakeRfbServer("RFB 003.007\n");
        await using var server = new LoopbackServer(rfb.HandleAsync);

        var result = await ProbeAssert.RunAsync(None(), server.Port, TimeSpan.FromSeconds(5));

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        Assert.Equal("RFB 003.007\n\u0001", Encoding.ASCII.GetString(await rfb.FirstTranscript.WaitAsync(WaitLimit)));
    }

    [Fact]
    public async Task BannerSplitAcrossWrites_Success()
    {
        var rfb = new FakeRfbServer("RFB 003.008\n") { SplitBanner = true };
        await using var server = new LoopbackServer(rfb.HandleAsync);

        Assert.Equal(ProbeOutcome.Success, (await ProbeAssert.RunAsync(None(), server.Port)).Outcome);
        Assert.Equal("RFB 003.008\n\u0001", Encoding.ASCII.GetString(await rfb.FirstTranscript.WaitAsync(WaitLimit)));
    }

    /// <summary>
    /// A password-only server and a check that declares None: the check fails (it used to count the hang-up as a
    /// pass, while the server counted it as a failed login of the gateway's address).
    /// </summary>
    [Fact]
    public async Task Rfb38_VncAuthOnly_DeclaredNone_InvalidWithoutChoosing()
    {
        var rfb = new FakeRfbServer("RFB 003.008\n") { SecurityTypes = [2] };
        await using var server = new LoopbackServer(rfb.HandleAsync);

        var result = await ProbeAssert.RunAsync(None(), server.Port);

        Assert.Equal(ProbeOutcome.Invalid, result.Outcome);
        Assert.Contains("does not offer security None", result.Detail, StringComparison.Ordinal);
        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(await rfb.FirstTranscript.WaitAsync(WaitLimit)));
    }

    [Theory]
    [InlineData("RFB 003.008\n")]
    [InlineData("RFB 003.007\n")]
    [InlineData("RFB 003.003\n")]
    public async Task VncAuth_RightPassword_SuccessAfterLoggingIn(string banner)
    {
        var rfb = new FakeRfbServer(banner) { SecurityTypes = [19, 2], ServerChosenType = 2, Password = "secret-1" };
        await using var server = new LoopbackServer(rfb.HandleAsync);
        var file = await PasswordFileAsync("secret-1");

        var result = await ProbeAssert.RunAsync(new VncBannerProbe(VncCheckSecurity.VncAuth, file), server.Port);

        Assert.Equal(ProbeOutcome.Success, result.Outcome);
        Assert.Equal([0u], rfb.Results);
    }

    [Fact]
    public async Task VncAuth_WrongPassword_InvalidWithTheServersReason()
    {
        var rfb = new FakeRfbServer("RFB 003.008\n") { SecurityTypes = [2], Password = "other-pw" };
        await using var server = new LoopbackServer(rfb.HandleAsync);
        var file = await PasswordFileAsync("secret-1");

        var result = await ProbeAssert.RunAsync(new VncBannerProbe(VncCheckSecurity.VncAuth, file), server.Port);

        Assert.Equal((ProbeOutcome.Invalid, "the server refuses the connection: Authentication failure"), (result.Outcome, result.Detail));
    }

    [Fact]
    public async Task VncAuth_MissingPasswordFile_InvalidWithoutConnecting()
    {
        var rfb = new FakeRfbServer("RFB 003.008\n") { SecurityTypes = [2] };
        await using var server = new LoopbackServer(rfb.HandleAsync);

        var result = await ProbeAssert.RunAsync(new VncBannerProbe(VncCheckSecurity.VncAuth, "/nonexistent/passwd"), server.Port);

        Assert.Equal(ProbeOutcome.Invalid, result.Outcome);
        Assert.Contains("/nonexistent/passwd", result.Detail, StringComparison.Ordinal);
        Assert.Equal(0, server.Accepted);
    }

    [Fact]
    public async Task Rfb38_CountZeroWithReason_InvalidWithTheReason()
    {
        var rfb = new FakeRfbServer("RFB 003.008\n") { SecurityTypes = [] };
        await using var server = new LoopbackServer(rfb.HandleAsync);

        var result = await ProbeAssert.RunAsync(None(), server.Port);

        Assert.Equal((ProbeOutcome.Invalid, "the server refuses the connection: Too many security failures"), (result.Outcome, result.Detail));
    }

    [Fact]
    public async Task Rfb33_ServerChoosesInvalidWithReason_Invalid()
    {
        // What a blacklisting TigerVNC sends to any client: up, but unusable from the gateway's address.
        var rfb = new FakeRfbServer("RFB 003.003\n") { ServerChosenType = 0 };
        await using var server = new LoopbackServer(rfb.HandleAsync);

        var result = await ProbeAssert.RunAsync(None(), server.Port);

        Assert.Equal((ProbeOutcome.Invalid, "the server refuses the connection: Too many security failures"), (result.Outcome, result.Detail));
    }

    [Fact]
    public async Task ServerClosesRightAfterBanner_Closed()
    {
        var rfb = new FakeRfbServer("RFB 003.008\n") { CloseAfterBanner = true };
        await using var server = new LoopbackServer(rfb.HandleAsync);

        Assert.Equal(ProbeOutcome.Closed, (await ProbeAssert.RunAsync(None(), server.Port)).Outcome);
    }

    [Fact]
    public async Task Rfb38_ClosesBeforeSecurityResult_Closed()
    {
        var rfb = new FakeRfbServer("RFB 003.008\n") { RawSecurityPhase = [1, 1], HoldOpen = false };
        await using var server = new LoopbackServer(rfb.HandleAsync);

        Assert.Equal(ProbeOutcome.Closed, (await ProbeAssert.RunAsync(None(), server.Port)).Outcome);
    }

    [Fact]
    public async Task GarbageInsteadOfSecurityTypes_TimeoutWithinProbeTimeout()
    {
        // A count of 255 followed by three bytes: the probe waits for types that never come, until its timeout.
        var rfb = new FakeRfbServer("RFB 003.008\n") { RawSecurityPhase = "\u00FFxyz"u8.ToArray() };
        await using var server = new LoopbackServer(rfb.HandleAsync);

        var result = await ProbeAssert.RunAsync(None(), server.Port, ShortTimeout);

        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
    }

    [Theory]
    [InlineData("RFB 003.002\n")]
    [InlineData("RFB 003.000\n")]
    public async Task VersionBelow33_InvalidWithoutAnswering(string banner)
    {
        var rfb = new FakeRfbServer(banner);
        await using var server = new LoopbackServer(rfb.HandleAsync);

        Assert.Equal(ProbeOutcome.Invalid, (await ProbeAssert.RunAsync(None(), server.Port)).Outcome);
        Assert.Empty(await rfb.FirstTranscript.WaitAsync(WaitLimit));
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\n\r\n")]
    [InlineData("RFB 004.001\n")]
    public async Task OtherBanner_Invalid(string banner)
    {
        await using var server = new LoopbackServer(LoopbackServer.Sends(Encoding.ASCII.GetBytes(banner)));

        Assert.Equal(ProbeOutcome.Invalid, (await ProbeAssert.RunAsync(None(), server.Port)).Outcome);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 3)]
    [InlineData(4, 3)]
    [InlineData(6, 3)]
    [InlineData(7, 7)]
    [InlineData(8, 8)]
    [InlineData(889, 8)]
    public void ChooseMinor_FollowsRfc6143(int server, int expected) =>
        Assert.Equal(expected, VncBannerProbe.ChooseMinor(server));
}
