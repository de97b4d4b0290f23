using System.Text.Json.Nodes;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Kubernetes;
using DesktopOperator.Gateway.Model;
using k8s.Models;

namespace DesktopOperator.Gateway.Tests.Kubernetes;

public sealed class SessionRouteMapperTests
{
    private static readonly DateTimeOffset Bound = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(AffinityKey.User, false)]
    [InlineData(AffinityKey.SourceIP, false)]
    [InlineData(AffinityKey.User, true)]
    public void ToNewThenToRecord_RoundTripsEveryField(AffinityKey kind, bool pinned)
    {
        var record = new RouteRecord("desktops/vnc", "Alice", kind, "vnc", "vnc-0", pinned, SessionRoutePhase.Active, Bound, Bound.AddMinutes(3), 2);

        var route = SessionRouteMapper.ToNew(record);
        route.Metadata.ResourceVersion = "42";

        Assert.Equal(SessionRouteNames.For("vnc", "Alice"), route.Metadata.Name);
        Assert.Equal(("desktops", "vnc", "Alice"), (route.Metadata.NamespaceProperty, route.Spec.Pool, route.Spec.User));
        Assert.Equal(pinned ? "vnc-0" : null, route.Spec.Host);
        Assert.Equal(record with { Version = "42" }, SessionRouteMapper.ToRecord(route));
    }

    [Fact]
    public void ToRecord_CreatedByAPersonWithoutStatus_PendingUserKeyOnItsPinnedHost()
    {
        var route = new SessionRoute
        {
            Metadata = new V1ObjectMeta { Name = "alice", NamespaceProperty = "desktops", ResourceVersion = "7", CreationTimestamp = Bound.UtcDateTime },
            Spec = new SessionRouteSpec { Pool = "vnc", User = "alice", Host = "vnc-1" },
        };

        var record = SessionRouteMapper.ToRecord(route);

        Assert.Equal(
            new RouteRecord("desktops/vnc", "alice", AffinityKey.User, "", "vnc-1", true, SessionRoutePhase.Pending, Bound, Bound, 0) { Version = "7" },
            record);
    }

    [Theory]
    [InlineData(SessionRoutePhase.Active)]
    [InlineData(SessionRoutePhase.Disconnected)]
    [InlineData(SessionRoutePhase.Bound)]
    public void ToRecord_RepinnedToAnotherHost_PinAndTheHostItHolds(SessionRoutePhase phase)
    {
        var route = new SessionRoute
        {
            Metadata = new V1ObjectMeta { Name = "alice", NamespaceProperty = "desktops", ResourceVersion = "9", CreationTimestamp = Bound.UtcDateTime },
            Spec = new SessionRouteSpec { Pool = "vnc", User = "alice", Host = "vnc-1" },
            Status = new SessionRouteStatus { Phase = phase, Host = "vnc-0", BoundAt = Bound, ActiveConnections = phase == SessionRoutePhase.Active ? 1 : 0 },
        };

        var record = SessionRouteMapper.ToRecord(route);

        Assert.NotNull(record);
        Assert.Equal(("vnc-1", "vnc-0", true, phase), (record.Host, record.HeldHost, record.Pinned, record.Phase));
        Assert.Equal("vnc-0", SessionRouteMapper.StatusOf(record, route.Status).Host);
        Assert.True(SessionRoutePatches.SpecMatches(route, record));
    }

    [Fact]
    public void ToRecordThenStatusPatch_RecordedUid_ReadAndKept()
    {
        var route = new SessionRoute
        {
            Metadata = new V1ObjectMeta { Name = "alice", NamespaceProperty = "desktops", ResourceVersion = "9" },
            Spec = new SessionRouteSpec { Pool = "vnc", User = "alice" },
            Status = new SessionRouteStatus { Phase = SessionRoutePhase.Active, Host = "vnc-0", HostUid = "uid-0", BoundAt = Bound, ActiveConnections = 1 },
        };

        var record = SessionRouteMapper.ToRecord(route)!;
        var replaced = JsonNode.Parse(SessionRoutePatches.Status("9", record with { HostUid = "uid-1" }, route.Status).Content.ToString()!)!["status"]!.AsObject();

        Assert.Equal("uid-0", record.HostUid);
        Assert.Equal("uid-1", (string?)replaced["hostUid"]);
    }

    [Fact]
    public void ToRecord_NoNamespaceOrUser_Null()
    {
        Assert.Null(SessionRouteMapper.ToRecord(new SessionRoute { Spec = new SessionRouteSpec { Pool = "vnc", User = "alice" } }));
        Assert.Null(SessionRouteMapper.ToRecord(new SessionRoute
        {
            Metadata = new V1ObjectMeta { NamespaceProperty = "desktops" },
            Spec = new SessionRouteSpec { Pool = "vnc" },
        }));
    }

    [Fact]
    public void StatusOf_KeepsConditionsAddressAndUidOfTheSameHost()
    {
        var conditions = new List<V1Condition> { new() { Type = "Ready", Status = "True" } };
        var current = new SessionRouteStatus { Host = "vnc-0", HostAddress = "10.0.0.5", HostUid = "uid-0", ObservedGeneration = 3, Conditions = conditions };
        var record = new RouteRecord("desktops/vnc", "alice", AffinityKey.User, "vnc", "vnc-0", false, SessionRoutePhase.Disconnected, Bound, Bound, 0);

        var kept = SessionRouteMapper.StatusOf(record, current);
        var moved = SessionRouteMapper.StatusOf(record with { Host = "vnc-1" }, current);

        Assert.Equal(("10.0.0.5", 3L, SessionRoutePhase.Disconnected), (kept.HostAddress, kept.ObservedGeneration, kept.Phase));
        Assert.Same(conditions, kept.Conditions);
        Assert.Equal("uid-0", kept.HostUid);
        Assert.Equal(((string?)null, (string?)null), (moved.HostAddress, moved.HostUid));
    }

    [Fact]
    public void StatusPatch_HostChanged_RemovesTheOldHostsAddressAndUid_SameHostLeavesThem()
    {
        var current = new SessionRouteStatus { Host = "vnc-0", HostAddress = "10.0.0.5", HostUid = "uid-0" };
        var record = new RouteRecord("desktops/vnc", "alice", AffinityKey.User, "vnc", "vnc-0", false, SessionRoutePhase.Active, Bound, Bound, 1);

        var moved = JsonNode.Parse(SessionRoutePatches.Status("7", record with { Host = "vnc-1" }, current).Content.ToString()!)!["status"]!.AsObject();
        var same = JsonNode.Parse(SessionRoutePatches.Status("7", record, current).Content.ToString()!)!["status"]!.AsObject();

        Assert.True(moved.ContainsKey("hostUid") && moved["hostUid"] is null && moved.ContainsKey("hostAddress") && moved["hostAddress"] is null);
        Assert.False(same.ContainsKey("hostUid") || same.ContainsKey("hostAddress"));
    }

    [Theory]
    [InlineData("vnc")]
    [InlineData("/vnc")]
    [InlineData("desktops/")]
    public void SplitPoolKey_NotNamespaceSlashName_ClearError(string key)
    {
        var error = Assert.Throws<ArgumentException>(() => SessionRouteMapper.SplitPoolKey(key));
        Assert.Contains("namespace/name", error.Message, StringComparison.Ordinal);
    }
}
