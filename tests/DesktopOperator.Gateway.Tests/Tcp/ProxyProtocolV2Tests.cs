using System.Net;
using DesktopOperator.Gateway.Tcp;

namespace DesktopOperator.Gateway.Tests.Tcp;

public sealed class ProxyProtocolV2Tests
{
    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    [Fact]
    public void Write_IPv6_ProxyCommandWithAddressesAndPorts()
    {
        var buffer = new byte[ProxyProtocolV2.MaxLength];
        var source = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 50000);
        var destination = new IPEndPoint(IPAddress.Parse("2001:db8::2"), 3389);

        var length = ProxyProtocolV2.Write(buffer, source, destination);

        Assert.Equal(52, length);
        Assert.Equal(Signature, buffer[..12]);
        Assert.Equal(new byte[] { 0x21, 0x21, 0x00, 36 }, buffer[12..16]);
        Assert.Equal(source.Address.GetAddressBytes(), buffer[16..32]);
        Assert.Equal(destination.Address.GetAddressBytes(), buffer[32..48]);
        Assert.Equal(new byte[] { 0xC3, 0x50, 0x0D, 0x3D }, buffer[48..52]);
    }

    [Fact]
    public void Write_MappedIPv4_WrittenAsIPv4()
    {
        var buffer = new byte[ProxyProtocolV2.MaxLength];
        var source = new IPEndPoint(IPAddress.Parse("10.1.2.3").MapToIPv6(), 1);
        var destination = new IPEndPoint(IPAddress.Parse("10.0.0.1"), 2);

        var length = ProxyProtocolV2.Write(buffer, source, destination);

        Assert.Equal(28, length);
        Assert.Equal(new byte[] { 0x21, 0x11, 0x00, 12, 10, 1, 2, 3, 10, 0, 0, 1, 0, 1, 0, 2 }, buffer[12..28]);
    }

    [Fact]
    public void Write_UnknownAddresses_LocalCommand()
    {
        var buffer = new byte[ProxyProtocolV2.MaxLength];

        var length = ProxyProtocolV2.Write(buffer, null, null);

        Assert.Equal(16, length);
        Assert.Equal(new byte[] { 0x20, 0x00, 0x00, 0x00 }, buffer[12..16]);
    }
}
