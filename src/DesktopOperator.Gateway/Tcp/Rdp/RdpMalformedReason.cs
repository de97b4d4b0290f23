namespace DesktopOperator.Gateway.Tcp.Rdp;

/// <summary>Why a Connection Request was refused; the values are the <c>reason</c> label of the reject counter.</summary>
internal static class RdpMalformedReason
{
    public const string TooLarge = "too_large";
    public const string TpktVersion = "tpkt_version";
    public const string TpktLength = "tpkt_length";
    public const string X224Length = "x224_length";
    public const string X224Code = "x224_code";
    public const string X224Class = "x224_class";
    public const string CookieUnterminated = "cookie_unterminated";
    public const string CookieInvalid = "cookie_invalid";
    public const string Negotiation = "negotiation";
    public const string Truncated = "truncated";
}
