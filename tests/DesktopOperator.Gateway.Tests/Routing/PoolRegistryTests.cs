using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;

namespace DesktopOperator.Gateway.Tests.Routing;

public sealed class PoolRegistryTests
{
    [Fact]
    public void Update_NewSet_ReplacesAllAndRaisesChanged()
    {
        var registry = new PoolRegistry();
        var changes = 0;
        registry.Changed += (_, _) => changes++;
        registry.Update([Named("a/one"), Named("a/two")]);

        registry.Update([Named("a/two")]);

        Assert.Null(registry.Find("a/one"));
        Assert.NotNull(registry.Find("a/two"));
        Assert.Single(registry.Pools);
        Assert.Equal(2, changes);
    }

    [Fact]
    public void Update_DuplicateKey_ThrowsAndKeepsPreviousSet()
    {
        var registry = new PoolRegistry();
        var first = Named("a/one");
        registry.Update([first]);

        Assert.Throws<ArgumentException>(() => registry.Update([Named("a/two"), Named("a/two")]));

        Assert.Same(first, registry.Find("a/one"));
    }

    [Fact]
    public void GatewayPool_DuplicateHost_Throws()
    {
        Assert.Throws<ArgumentException>(() => TestPools.Pool([new GatewayHost("h1", "a"), new GatewayHost("h1", "b")]));
    }

    [Fact]
    public void GatewayPool_NegativeWeight_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TestPools.Pool([new GatewayHost("h1", "a", Weight: -1)]));
    }

    [Fact]
    public void GatewayPool_ZeroSessionsPerHost_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TestPools.Pool(sessionsPerHost: 0));
    }

    [Fact]
    public void GatewayPool_Lookups_ByNameAndIndex()
    {
        var pool = TestPools.Pool(hosts: 3);

        Assert.Equal(2, pool.IndexOf("h3"));
        Assert.Equal(-1, pool.IndexOf("H3"));
        Assert.Equal(22, pool.FindProtocol("ssh")?.HostPort);
        Assert.Null(pool.FindProtocol("SSH"));
    }

    private static GatewayPool Named(string key) => new()
    {
        Key = key,
        Protocols = [new GatewayProtocol("rdp", ProtocolKind.Rdp, 3389)],
        Hosts = [new GatewayHost("h1", "10.0.0.1")],
    };
}
