namespace DesktopOperator.Gateway.Sessions;

/// <summary>What a route's key is: a user identity the protocol carried, or the client's source address.</summary>
internal enum AffinityKeyKind
{
    User,
    SourceIP,
}
