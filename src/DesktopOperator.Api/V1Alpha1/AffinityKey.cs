namespace DesktopOperator.Api.V1Alpha1;

/// <summary>What identifies a returning user.</summary>
public enum AffinityKey
{
    /// <summary>
    /// The user the protocol carries (the RDP <c>mstshash</c> cookie, the Http header or cookie); connections
    /// without one fall back to the source address.
    /// </summary>
    User,

    /// <summary>The client's source IP address.</summary>
    SourceIP,
}
