namespace DesktopOperator.Gateway.Tcp.Rdp;

/// <summary>
/// The outcome of <see cref="RdpConnectionRequestParser.Parse"/>. <see cref="Reason"/> is one of the constants of
/// <see cref="RdpMalformedReason"/> (a bounded set, safe as a metric label) when <see cref="Status"/> is Malformed.
/// <see cref="User"/> comes from <c>Cookie: mstshash=</c>, <see cref="RoutingToken"/> from any other cookie line
/// (usually <c>Cookie: msts=</c>); at most one of them is set. <see cref="Length"/> is the TPKT length of a parsed
/// request: the bytes it spans from the start of the input.
/// </summary>
internal readonly record struct RdpParseResult(RdpParseStatus Status, string? Reason, string? User, string? RoutingToken, int Length)
{
    public static RdpParseResult NeedMoreData => new(RdpParseStatus.NeedMoreData, null, null, null, 0);

    public static RdpParseResult Malformed(string reason) => new(RdpParseStatus.Malformed, reason, null, null, 0);

    /// <summary>The affinity key the request carries: the user, else the routing token, else null.</summary>
    public string? AffinityKey => User ?? RoutingToken;
}
