using DesktopOperator.Runtime.Objects;
using DesktopOperator.Runtime.Tests.Support;

namespace DesktopOperator.Runtime.Tests.Objects;

public sealed class OwnerReferencesTests
{
    [Fact]
    public void SetControllerReference_Twice_OneControllerRefFilledFromOwner()
    {
        var owner = Owner("pool-a", "uid-a");
        var owned = Widget.Make("pod-0", "ns1");

        OwnerReferences.SetControllerReference(owner, owned);
        OwnerReferences.SetControllerReference(owner, owned);

        var reference = Assert.Single(owned.Metadata.OwnerReferences!);
        Assert.Equal(("example.test/v1", "Widget", "pool-a", "uid-a", true, true), (reference.ApiVersion, reference.Kind, reference.Name, reference.Uid, reference.Controller, reference.BlockOwnerDeletion));
        Assert.Same(reference, OwnerReferences.GetControllerOf(owned));
        Assert.True(OwnerReferences.IsControlledBy(owned, owner));
    }

    [Fact]
    public void SetControllerReference_OtherControllerAlready_Refused()
    {
        var owned = Widget.Make("pod-0", "ns1");
        OwnerReferences.SetControllerReference(Owner("pool-a", "uid-a"), owned);

        Assert.Throws<InvalidOperationException>(() => OwnerReferences.SetControllerReference(Owner("pool-b", "uid-b"), owned));
    }

    [Fact]
    public void SetControllerReference_OwnerInOtherNamespace_Refused()
    {
        Assert.Throws<InvalidOperationException>(() => OwnerReferences.SetControllerReference(Owner("pool-a", "uid-a", "ns2"), Widget.Make("pod-0", "ns1")));
    }

    private static Widget Owner(string name, string uid, string ns = "ns1")
    {
        var owner = Widget.Make(name, ns);
        owner.Metadata.Uid = uid;
        return owner;
    }
}
