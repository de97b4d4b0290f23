namespace DesktopOperator.Api.V1Alpha1;

/// <summary>Whether the gateway tells the host the client's address with a PROXY protocol header.</summary>
public enum ProxyProtocolMode
{
    /// <summary>No header: the host sees the gateway's address.</summary>
    None,

    /// <summary>A PROXY protocol version 2 (binary) header before the client's first byte.</summary>
    V2,
}
