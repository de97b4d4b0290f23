using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace DesktopOperator.Gateway.Tcp.Rdp;

/// <summary>
/// Reads the first packet an RDP client sends: TPKT (RFC 1006, version 3) + X.224 Connection Request (ISO 8073
/// class 0, [MS-RDPBCGR] 2.2.1.1) with an optional <c>Cookie: mstshash=USER\r\n</c> or routing token line and an
/// optional RDP Negotiation Request (and Correlation Info). Pure and thread-safe; never throws; allocates only the
/// user or token string of a parsed request. Parse the whole buffered input again after more bytes arrive.
/// </summary>
internal static class RdpConnectionRequestParser
{
    public const int DefaultMaxBytes = 1024;

    private const int TpktHeaderLength = 4;
    private const int FixedLength = 11; // TPKT header + LI, code, dst-ref, src-ref, class
    private const byte NegotiationRequestType = 0x01;
    private const byte CorrelationInfoType = 0x06;
    private const byte CorrelationInfoPresent = 0x08;
    private const int NegotiationRequestLength = 8;
    private const int CorrelationInfoLength = 36;

    private static ReadOnlySpan<byte> CookiePrefix => "Cookie: "u8;

    private static ReadOnlySpan<byte> UserCookiePrefix => "Cookie: mstshash="u8;

    public static RdpParseResult Parse(in ReadOnlySequence<byte> input, int maxBytes = DefaultMaxBytes)
    {
        if (input.IsEmpty)
        {
            return RdpParseResult.NeedMoreData;
        }

        Span<byte> header = stackalloc byte[FixedLength];
        var available = (int)Math.Min(input.Length, FixedLength);
        input.Slice(0, available).CopyTo(header);
        header = header[..available];

        var headerCheck = CheckHeader(header, maxBytes, out var length);
        if (headerCheck is { } failed)
        {
            return failed;
        }

        if (input.Length < length)
        {
            return RdpParseResult.NeedMoreData;
        }

        var packet = input.Slice(0, length);
        if (packet.IsSingleSegment)
        {
            return ParseVariablePart(packet.FirstSpan, length);
        }

        byte[]? rented = null;
        var copy = length <= 1024 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        packet.CopyTo(copy);
        var result = ParseVariablePart(copy, length);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return result;
    }

    /// <summary>Checks the fixed part, as far as it has arrived; null means "valid so far".</summary>
    private static RdpParseResult? CheckHeader(ReadOnlySpan<byte> header, int maxBytes, out int length)
    {
        length = 0;
        if (header[0] != 3)
        {
            return RdpParseResult.Malformed(RdpMalformedReason.TpktVersion);
        }

        if (header.Length > 1 && header[1] != 0)
        {
            return RdpParseResult.Malformed(RdpMalformedReason.TpktVersion);
        }

        if (header.Length < TpktHeaderLength)
        {
            return RdpParseResult.NeedMoreData;
        }

        length = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        if (length < FixedLength)
        {
            return RdpParseResult.Malformed(RdpMalformedReason.TpktLength);
        }

        if (length > maxBytes)
        {
            return RdpParseResult.Malformed(RdpMalformedReason.TooLarge);
        }

        if (header.Length > 4 && header[4] != length - 5)
        {
            return RdpParseResult.Malformed(RdpMalformedReason.X224Length);
        }

        if (header.Length > 5 && (header[5] & 0xF0) != 0xE0)
        {
            return RdpParseResult.Malformed(RdpMalformedReason.X224Code);
        }

        if (header.Length > 7 && (header[6] != 0 || header[7] != 0))
        {
            return RdpParseResult.Malformed(RdpMalformedReason.X224Code);
        }

        if (header.Length > 10 && (header[10] & 0xF0) != 0)
        {
            return RdpParseResult.Malformed(RdpMalformedReason.X224Class);
        }

        return header.Length < FixedLength ? RdpParseResult.NeedMoreData : null;
    }

    private static RdpParseResult ParseVariablePart(ReadOnlySpan<byte> packet, int length)
    {
        var rest = packet[FixedLength..];
        string? user = null;
        string? token = null;
        if (!rest.IsEmpty && rest[0] != NegotiationRequestType)
        {
            var end = rest.IndexOf("\r\n"u8);
            if (end < 0)
            {
                return RdpParseResult.Malformed(RdpMalformedReason.CookieUnterminated);
            }

            var line = rest[..end];
            if (!line.StartsWith(CookiePrefix) || line.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E))
            {
                return RdpParseResult.Malformed(RdpMalformedReason.CookieInvalid);
            }

            if (line.StartsWith(UserCookiePrefix))
            {
                var value = line[UserCookiePrefix.Length..];
                if (value.IsEmpty)
                {
                    return RdpParseResult.Malformed(RdpMalformedReason.CookieInvalid);
                }

                user = Encoding.ASCII.GetString(value);
            }
            else
            {
                var value = line[CookiePrefix.Length..];
                if (value.IsEmpty)
                {
                    return RdpParseResult.Malformed(RdpMalformedReason.CookieInvalid);
                }

                token = Encoding.ASCII.GetString(value);
            }

            rest = rest[(end + 2)..];
        }

        return IsValidNegotiation(rest)
            ? new RdpParseResult(RdpParseStatus.Parsed, null, user, token, length)
            : RdpParseResult.Malformed(RdpMalformedReason.Negotiation);
    }

    /// <summary>Nothing, or RDP_NEG_REQ, optionally followed by RDP_NEG_CORRELATION_INFO when its flag says so.</summary>
    private static bool IsValidNegotiation(ReadOnlySpan<byte> rest)
    {
        if (rest.IsEmpty)
        {
            return true;
        }

        if (rest.Length < NegotiationRequestLength || rest[0] != NegotiationRequestType
            || BinaryPrimitives.ReadUInt16LittleEndian(rest[2..]) != NegotiationRequestLength)
        {
            return false;
        }

        var flags = rest[1];
        rest = rest[NegotiationRequestLength..];
        if (rest.IsEmpty)
        {
            return true;
        }

        return (flags & CorrelationInfoPresent) != 0 && rest.Length == CorrelationInfoLength
            && rest[0] == CorrelationInfoType
            && BinaryPrimitives.ReadUInt16LittleEndian(rest[2..]) == CorrelationInfoLength;
    }
}
