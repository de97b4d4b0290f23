namespace DesktopOperator.Gateway.Tests.Tcp;

/// <summary>Every one of the lifecycle tests again, with connections relayed on a relay loop (Tcp/Relay) as the executable does.</summary>
public sealed class TcpProxyLifecycleOnRelayLoopTests : TcpProxyLifecycleTests
{
    protected override int RelayThreads => 1;
}
