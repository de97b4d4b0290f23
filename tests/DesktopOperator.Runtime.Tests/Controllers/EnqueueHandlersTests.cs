using DesktopOperator.Runtime.Controllers;
using DesktopOperator.Runtime.Queues;
using DesktopOperator.Runtime.Tests.Support;
using DesktopOperator.Testing.Time;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Tests.Controllers;

public sealed class EnqueueHandlersTests
{
    private readonly WorkQueue<ObjectKey> _queue = new($"handlers-{Guid.NewGuid():N}", new ItemExponentialFailureRateLimiter<ObjectKey>(), new ManualTimeProvider());

    [Theory]
    [InlineData(1, 1, "1", "2", false, false)]
    [InlineData(1, 2, "1", "2", false, true)]
    [InlineData(1, 1, "1", "2", true, true)]
    [InlineData(1, 1, "5", "5", false, true)]
    public void ShouldReconcileUpdate_Cases(long oldGen, long newGen, string oldRv, string newRv, bool deleting, bool expected)
    {
        var old = Widget.Make("a");
        old.Metadata.Generation = oldGen;
        old.Metadata.ResourceVersion = oldRv;
        var current = Widget.Make("a");
        current.Metadata.Generation = newGen;
        current.Metadata.ResourceVersion = newRv;
        current.Metadata.DeletionTimestamp = deleting ? DateTime.UnixEpoch : null;

        Assert.Equal(expected, EnqueueHandlers.ShouldReconcileUpdate(old, current));
    }

    [Fact]
    public void ForObject_StatusOnlyUpdate_NotEnqueued()
    {
        var handler = EnqueueHandlers.ForObject<Widget>(_queue);
        var old = Widget.Make("a");
        old.Metadata.Generation = 3;
        old.Metadata.ResourceVersion = "10";
        var current = Widget.Make("a");
        current.Metadata.Generation = 3;
        current.Metadata.ResourceVersion = "11";

        handler.OnUpdate(old, current);
        Assert.Equal(0, _queue.Count);
        handler.OnDelete(current);
        Assert.Equal(1, _queue.Count);
    }

    [Fact]
    public async Task ForControllerOwner_OwnedObject_EnqueuesOwnerKeyOnly()
    {
        var handler = EnqueueHandlers.ForControllerOwner<Widget>(_queue, "example.test", "Pool");
        var owned = Widget.Make("pod-0", "ns1");
        owned.Metadata.OwnerReferences =
        [
            new V1OwnerReference { ApiVersion = "other.test/v1", Kind = "Pool", Name = "not-this", Uid = "u0" },
            new V1OwnerReference { ApiVersion = "example.test/v1", Kind = "Pool", Name = "pool-a", Uid = "u1", Controller = true },
        ];
        handler.OnAdd(owned, false);
        handler.OnAdd(Widget.Make("orphan", "ns1"), false);

        Assert.Equal(1, _queue.Count);
        Assert.Equal((new ObjectKey("ns1", "pool-a"), false), await _queue.GetAsync(CancellationToken.None));
    }
}
