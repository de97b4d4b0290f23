namespace DesktopOperator.Gateway.Tcp.Rdp;

internal enum RdpParseStatus
{
    /// <summary>The bytes so far are a valid prefix: read more and parse again from the start.</summary>
    NeedMoreData,

    /// <summary>Not an RDP Connection Request (or over the size bound): close the connection.</summary>
    Malformed,

    /// <summary>A complete Connection Request: <see cref="RdpParseResult.Length"/> bytes form it.</summary>
    Parsed,
}
