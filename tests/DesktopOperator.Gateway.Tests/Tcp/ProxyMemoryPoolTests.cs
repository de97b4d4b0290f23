using DesktopOperator.Gateway.Tcp;

namespace DesktopOperator.Gateway.Tests.Tcp;

public sealed class ProxyMemoryPoolTests
{
    [Fact]
    public void Rent_AnySizeUpToTheBlock_GivesAWholeBlock()
    {
        using var pool = new ProxyMemoryPool(blockSize: 16 * 1024);

        using var small = pool.Rent(1);
        using var whole = pool.Rent(16 * 1024);

        Assert.Equal((16 * 1024, 16 * 1024), (small.Memory.Length, whole.Memory.Length));
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent((16 * 1024) + 1));
    }

    [Fact]
    public void Rent_AfterReturn_ReusesTheBlockOnlyOnce()
    {
        using var pool = new ProxyMemoryPool(blockSize: 4096, maxRetained: 1);
        var first = pool.Rent();
        first.Memory.Span[0] = 42;
        first.Dispose();
        first.Dispose(); // a second Dispose must not put the block back twice

        using var again = pool.Rent();
        using var fresh = pool.Rent();

        Assert.Same(first, again);
        Assert.NotSame(again, fresh);
    }

    [Fact]
    public void Return_BeyondMaxRetained_LeavesTheRestToTheGc()
    {
        using var pool = new ProxyMemoryPool(blockSize: 4096, maxRetained: 1);
        var a = pool.Rent();
        var b = pool.Rent();
        a.Dispose();
        b.Dispose();

        using var first = pool.Rent();
        using var second = pool.Rent();

        Assert.Same(a, first);
        Assert.NotSame(b, second);
    }
}
