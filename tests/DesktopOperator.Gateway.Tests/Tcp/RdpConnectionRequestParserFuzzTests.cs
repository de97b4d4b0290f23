using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using DesktopOperator.Gateway.Tcp.Rdp;

namespace DesktopOperator.Gateway.Tests.Tcp;

public sealed class RdpConnectionRequestParserFuzzTests
{
    private const int Seed = 20261122;
    private const int CasesPerKind = 30_000;

    [Fact]
    public void Parse_FuzzedInputs_NeverThrowsAndParsedIsConsistent()
    {
        var random = new Random(Seed);
        var valid = new[]
        {
            RdpConnectionRequestParserTests.BuildRequest("Cookie: mstshash=alice"),
            RdpConnectionRequestParserTests.BuildRequest("Cookie: msts=3640205228.15629.0000", correlation: true),
            RdpConnectionRequestParserTests.BuildRequest(null),
            RdpConnectionRequestParserTests.BuildRequest("Cookie: mstshash=" + new string('u', 300), negotiation: false),
        };
        var counts = new Dictionary<RdpParseStatus, int>();
        var cases = 0;

        for (var i = 0; i < CasesPerKind; i++)
        {
            // Random bytes, often starting like a TPKT header so the deeper checks are reached.
            var randomBytes = new byte[random.Next(0, 64)];
            random.NextBytes(randomBytes);
            if (randomBytes.Length >= 4 && random.Next(2) == 0)
            {
                randomBytes[0] = 3;
                randomBytes[1] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(randomBytes.AsSpan(2), (ushort)random.Next(0, 80));
            }

            Check(randomBytes, random, counts);

            var source = valid[random.Next(valid.Length)];
            Check(source[..random.Next(0, source.Length + 1)], random, counts); // truncated

            var mutated = (byte[])source.Clone();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            Check(mutated, random, counts);

            var oversized = new byte[random.Next(1025, 70_000)];
            random.NextBytes(oversized);
            source.CopyTo(oversized, 0);
            BinaryPrimitives.WriteUInt16BigEndian(oversized.AsSpan(2), (ushort)random.Next(1025, 65536));
            Check(oversized, random, counts, expectMalformed: true);
            cases += 4;
        }

        Assert.True(cases >= 100_000);
        Assert.True(counts.GetValueOrDefault(RdpParseStatus.Parsed) > 1000, "the fuzzer should reach Parsed often");
        Assert.True(counts.GetValueOrDefault(RdpParseStatus.Malformed) > 1000);
    }

    private static void Check(byte[] bytes, Random random, Dictionary<RdpParseStatus, int> counts, bool expectMalformed = false)
    {
        var result = RdpConnectionRequestParser.Parse(new ReadOnlySequence<byte>(bytes));
        counts[result.Status] = counts.GetValueOrDefault(result.Status) + 1;
        if (expectMalformed)
        {
            Assert.Equal(RdpMalformedReason.TooLarge, result.Reason);
        }

        if (bytes.Length > 1)
        {
            var split = RdpConnectionRequestParser.Parse(TestSequence.Split(bytes, random.Next(1, bytes.Length)));
            Assert.Equal(result, split);
        }

        switch (result.Status)
        {
            case RdpParseStatus.Parsed:
                AssertConsistent(bytes, result);
                break;
            case RdpParseStatus.Malformed:
                Assert.False(string.IsNullOrEmpty(result.Reason));
                break;
            default:
                Assert.True(bytes.Length < RdpConnectionRequestParser.DefaultMaxBytes);
                break;
        }
    }

    private static void AssertConsistent(byte[] bytes, RdpParseResult result)
    {
        Assert.InRange(result.Length, 11, bytes.Length);
        Assert.Equal(3, bytes[0]);
        Assert.Equal(result.Length, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(2)));
        Assert.Equal(result.Length - 5, bytes[4]);
        Assert.Equal(0xE0, bytes[5] & 0xF0);
        Assert.False(result.User is not null && result.RoutingToken is not null);
        var variable = Encoding.ASCII.GetString(bytes, 11, result.Length - 11);
        if (result.User is not null)
        {
            Assert.StartsWith("Cookie: mstshash=" + result.User + "\r\n", variable, StringComparison.Ordinal);
        }
        else if (result.RoutingToken is not null)
        {
            Assert.StartsWith("Cookie: " + result.RoutingToken + "\r\n", variable, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(bytes.Length == 11 || bytes[11] == 0x01);
        }

        Assert.Equal(result, RdpConnectionRequestParser.Parse(new ReadOnlySequence<byte>(bytes, 0, result.Length)));
    }
}
