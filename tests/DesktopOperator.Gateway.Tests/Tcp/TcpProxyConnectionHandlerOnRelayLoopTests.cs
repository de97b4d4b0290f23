namespace DesktopOperator.Gateway.Tests.Tcp;

/// <summary>Every one of the relay tests again, with connections relayed on a relay loop (Tcp/Relay) as the executable does.</summary>
public sealed class TcpProxyConnectionHandlerOnRelayLoopTests : TcpProxyConnectionHandlerTests
{
    protected override int RelayThreads => 1;
}
