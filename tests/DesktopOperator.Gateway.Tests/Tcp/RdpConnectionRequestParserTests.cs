using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using DesktopOperator.Gateway.Tcp.Rdp;

namespace DesktopOperator.Gateway.Tests.Tcp;

public sealed class RdpConnectionRequestParserTests
{
    /// <summary>Builds a Connection Request the way mstsc/xfreerdp send it.</summary>
    internal static byte[] BuildRequest(string? cookieLine, bool negotiation = true, bool correlation = false)
    {
        var variable = new List<byte>();
        if (cookieLine is not null)
        {
            variable.AddRange(Encoding.ASCII.GetBytes(cookieLine + "\r\n"));
        }

        if (negotiation)
        {
            variable.AddRange(new byte[] { 0x01, (byte)(correlation ? 0x08 : 0x00), 0x08, 0x00, 0x03, 0x00, 0x00, 0x00 });
            if (correlation)
            {
                var info = new byte[36];
                info[0] = 0x06;
                info[2] = 36;
                variable.AddRange(info);
            }
        }

        var length = 11 + variable.Count;
        var packet = new byte[length];
        packet[0] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)length);
        packet[4] = (byte)(length - 5);
        packet[5] = 0xE0;
        variable.CopyTo(packet, 11);
        return packet;
    }

    private static RdpParseResult Parse(byte[] bytes, int max = RdpConnectionRequestParser.DefaultMaxBytes) =>
        RdpConnectionRequestParser.Parse(new ReadOnlySequence<byte>(bytes), max);

    [Fact]
    public void Parse_UserCookie_ReturnsUserAndLength()
    {
        var bytes = BuildRequest("Cookie: mstshash=alice");

        var result = Parse(bytes);

        Assert.Equal(RdpParseStatus.Parsed, result.Status);
        Assert.Equal("alice", result.User);
        Assert.Null(result.RoutingToken);
        Assert.Equal(bytes.Length, result.Length);
    }

    [Fact]
    public void Parse_RoutingToken_ReturnsToken()
    {
        var result = Parse(BuildRequest("Cookie: msts=3640205228.15629.0000", correlation: true));

        Assert.Equal(RdpParseStatus.Parsed, result.Status);
        Assert.Null(result.User);
        Assert.Equal("msts=3640205228.15629.0000", result.RoutingToken);
        Assert.Equal("msts=3640205228.15629.0000", result.AffinityKey);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Parse_NoCookie_ParsedWithoutUser(bool negotiation)
    {
        var result = Parse(BuildRequest(null, negotiation));

        Assert.Equal(RdpParseStatus.Parsed, result.Status);
        Assert.Null(result.AffinityKey);
    }

    [Fact]
    public void Parse_EveryStrictPrefix_NeedsMoreData()
    {
        var bytes = BuildRequest("Cookie: mstshash=bob");
        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.Equal(RdpParseStatus.NeedMoreData, Parse(bytes[..i]).Status);
        }
    }

    [Fact]
    public void Parse_SplitAcrossSegments_SameAsContiguous()
    {
        var bytes = BuildRequest("Cookie: mstshash=carol");
        for (var split = 1; split < bytes.Length; split++)
        {
            var result = RdpConnectionRequestParser.Parse(TestSequence.Split(bytes, split));
            Assert.Equal(RdpParseStatus.Parsed, result.Status);
            Assert.Equal("carol", result.User);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x16, 0x03, 0x01 }, RdpMalformedReason.TpktVersion)] // a TLS ClientHello
    [InlineData(new byte[] { (byte)'G', (byte)'E', (byte)'T' }, RdpMalformedReason.TpktVersion)]
    [InlineData(new byte[] { 3, 0, 0, 5 }, RdpMalformedReason.TpktLength)]
    [InlineData(new byte[] { 3, 0, 0, 11, 7 }, RdpMalformedReason.X224Length)]
    [InlineData(new byte[] { 3, 0, 0, 11, 6, 0xD0 }, RdpMalformedReason.X224Code)]
    public void Parse_BadHeader_MalformedEarly(byte[] bytes, string reason)
    {
        var result = Parse(bytes);

        Assert.Equal(RdpParseStatus.Malformed, result.Status);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void Parse_DeclaredLengthOverBound_TooLarge()
    {
        var bytes = BuildRequest("Cookie: mstshash=" + new string('x', 200));

        Assert.Equal(RdpParseStatus.Parsed, Parse(bytes, 1024).Status);
        Assert.Equal(RdpMalformedReason.TooLarge, Parse(bytes[..4], 100).Reason);
    }

    [Theory]
    [InlineData("Cookie: mstshash=", RdpMalformedReason.CookieInvalid)]
    [InlineData("Cookie: mstshash=a\u0001b", RdpMalformedReason.CookieInvalid)]
    [InlineData("Set-Cookie: x", RdpMalformedReason.CookieInvalid)]
    public void Parse_BadCookie_Malformed(string line, string reason)
    {
        Assert.Equal(reason, Parse(BuildRequest(line)).Reason);
    }

    [Fact]
    public void Parse_CookieWithoutCrLf_Malformed()
    {
        var bytes = BuildRequest("Cookie: mstshash=dave", negotiation: false);

        var result = Parse(bytes[..^2].Concat(new byte[] { 0, 0 }).ToArray());

        Assert.Equal(RdpMalformedReason.CookieUnterminated, result.Reason);
    }
}
