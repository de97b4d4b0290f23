using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Tcp.Accept;
using DesktopOperator.Gateway.Tests.Health;

namespace DesktopOperator.Gateway.Tests.Tcp.Accept;

public sealed class DescriptorReserveTests
{
    [Fact]
    public void Release_ThenTryRestore_ClosesTheDescriptorsAndTakesThemAgain()
    {
        var log = new RecordingLogger<DescriptorReserve>();
        using var reserve = new DescriptorReserve(8, log);
        Assert.Equal(8, reserve.Held);
        Assert.True(reserve.TryRestore()); // never released: whole

        reserve.Release();
        reserve.Release(); // once per episode
        Assert.True(reserve.IsReleased);
        Assert.Equal(0, reserve.Held);

        Assert.True(reserve.TryRestore());
        Assert.False(reserve.IsReleased);
        Assert.Equal(8, reserve.Held);
        Assert.Equal([3633, 3634], log.Entries.Select(e => e.Id.Id));
    }

    [Fact]
    public void Guard_WhileReleased_RefusesHostSocketsUntilDescriptorsAreFreeAgain()
    {
        var outOfDescriptors = false;
        using var reserve = new DescriptorReserve(2, new RecordingLogger<DescriptorReserve>(), () =>
            outOfDescriptors ? throw new IOException("Too many open files") : File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read));
        var made = 0;
        var create = reserve.Guard(_ =>
        {
            made++;
            return new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        });
        var host = new IPEndPoint(IPAddress.Loopback, 1);

        create(host).Dispose();
        outOfDescriptors = true;
        reserve.Release();
        Assert.Equal(SocketError.TooManyOpenSockets, Assert.Throws<SocketException>(() => create(host)).SocketErrorCode);
        Assert.True(reserve.IsReleased);

        // Descriptors free again (connections closed): the guard takes the reserve back itself, whoever else would.
        outOfDescriptors = false;
        create(host).Dispose();
        Assert.False(reserve.IsReleased);
        Assert.Equal(2, reserve.Held);
        Assert.Equal(2, made);
    }

    [Fact]
    public void Guard_HostSocketMeetsTheLimit_ReleasesTheReserveAndRethrows()
    {
        var log = new RecordingLogger<DescriptorReserve>();
        using var reserve = new DescriptorReserve(2, log);
        var create = reserve.Guard(_ => throw new SocketException((int)SocketError.TooManyOpenSockets));

        var thrown = Assert.Throws<SocketException>(() => create(new IPEndPoint(IPAddress.Loopback, 1)));

        Assert.Equal(SocketError.TooManyOpenSockets, thrown.SocketErrorCode);
        Assert.True(reserve.IsReleased);
        Assert.Equal(0, reserve.Held);
        Assert.Equal([3633], log.Entries.Select(e => e.Id.Id));
    }

    [Fact]
    public void Guard_HostSocketFailsOtherwise_KeepsTheReserve()
    {
        using var reserve = new DescriptorReserve(2, new RecordingLogger<DescriptorReserve>());
        var create = reserve.Guard(_ => throw new SocketException((int)SocketError.AddressFamilyNotSupported));

        Assert.Throws<SocketException>(() => create(new IPEndPoint(IPAddress.Loopback, 1)));

        Assert.False(reserve.IsReleased);
        Assert.Equal(2, reserve.Held);
    }

    [Fact]
    public void Dispose_ClosesTheDescriptors()
    {
        var reserve = new DescriptorReserve(4, new RecordingLogger<DescriptorReserve>());
        reserve.Dispose();
        Assert.Equal(0, reserve.Held);
    }
}
