using System.Net;
using DesktopOperator.Gateway.Model;

namespace DesktopOperator.Gateway.Tests.Routing;

public sealed class HostTargetTests
{
    [Fact]
    public void GatewayHost_IpAddress_ParsedOnceAndAgainWhenTheAddressChanges()
    {
        var host = new GatewayHost("h1", "10.0.0.1");
        Assert.Equal(IPAddress.Parse("10.0.0.1"), host.IpAddress);
        Assert.Equal(IPAddress.Parse("10.0.0.2"), (host with { Address = "10.0.0.2" }).IpAddress);
        Assert.Null(new GatewayHost("h2", "desktop-2.example").IpAddress);
        Assert.Equal(host, new GatewayHost("h1", "10.0.0.1"));
    }

    [Fact]
    public void Of_CarriesTheParsedAddress_EqualityByNameAddressAndPort()
    {
        var host = new GatewayHost("h1", "10.0.0.1");

        var target = HostTarget.Of(host, 3389);

        Assert.Same(host.IpAddress, target.IpAddress);
        Assert.Equal(new HostTarget("h1", "10.0.0.1", 3389), target);
        Assert.Equal(new HostTarget("h1", "10.0.0.1", 3389).GetHashCode(), target.GetHashCode());
        Assert.NotEqual(new HostTarget("h1", "10.0.0.1", 3390), target);
    }

    [Fact]
    public void With_NewAddress_DropsTheParsedOne()
    {
        var target = HostTarget.Of(new GatewayHost("h1", "10.0.0.1"), 3389);

        var moved = target with { Address = "10.0.0.9" };

        Assert.Null(moved.IpAddress); // parsed at connect from the new address, never the old one
        Assert.Equal("10.0.0.9", moved.Address);
    }
}
