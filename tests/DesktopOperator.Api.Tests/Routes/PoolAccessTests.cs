using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using k8s.Models;

namespace DesktopOperator.Api.Tests.Routes;

public sealed class PoolAccessTests
{
    [Fact]
    public void Admits_NoLists_EveryoneIncludingAnonymous()
    {
        var open = PoolAccess.Of(new AccessSpec());

        Assert.True(open.IsOpen);
        Assert.True(open.Admits("anyone", null));
        Assert.True(open.Admits(null, null));
    }

    [Fact]
    public void Admits_ListedUserOrGroup_IgnoringCase_NeverAnonymous()
    {
        var access = PoolAccess.Of(new AccessSpec { Users = ["alice"], Groups = ["Designers"] });

        Assert.True(access.Admits("ALICE", null));
        Assert.True(access.Admits("bob", ["staff", "designers"]));
        Assert.False(access.Admits("bob", ["staff"]));
        Assert.False(access.Admits("bob", null));
        Assert.False(access.Admits(null, ["designers"]));
    }

    [Fact]
    public void RefusalOf_UnlistedUserAndNoGroups_NamesSpecUserAndSpecAccess()
    {
        var access = PoolAccess.Of(new AccessSpec { Users = ["alice"] });

        Assert.Null(access.RefusalOf("Alice", AffinityKey.User, "desk"));
        Assert.Equal(
            "spec.user: 'bob' may not use pool 'desk': not in its spec.access.users, and spec.access lists no groups",
            access.RefusalOf("bob", AffinityKey.User, "desk"));
    }

    [Fact]
    public void RefusalOf_GroupsListed_OrKeyedByAddress_OrOpen_LeftToTheGatewaysCheckPerConnection()
    {
        // A route carries no groups: bob may be a designer, which only the front end knows when he connects.
        Assert.Null(PoolAccess.Of(new AccessSpec { Users = ["alice"], Groups = ["designers"] }).RefusalOf("bob", AffinityKey.User, "desk"));
        Assert.Null(PoolAccess.Of(new AccessSpec { Users = ["alice"] }).RefusalOf("10.0.0.7", AffinityKey.SourceIP, "desk"));
        Assert.Null(PoolAccess.Open.RefusalOf("bob", AffinityKey.User, "desk"));
    }

    [Fact]
    public void RouteKeyKind_FromTheAnnotation_UserWhenAbsentOrUnknown()
    {
        V1ObjectMeta Meta(string? kind) => new() { Annotations = kind is null ? null : new Dictionary<string, string> { [RouteKeyKind.Annotation] = kind } };

        Assert.Equal(AffinityKey.SourceIP, RouteKeyKind.Of(Meta("SourceIP")));
        Assert.Equal(AffinityKey.User, RouteKeyKind.Of(Meta("User")));
        Assert.Equal(AffinityKey.User, RouteKeyKind.Of(Meta(null)));
        Assert.Equal(AffinityKey.User, RouteKeyKind.Of(Meta("42")));
    }
}
