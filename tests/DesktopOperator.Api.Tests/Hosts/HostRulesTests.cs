using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using k8s.Models;

namespace DesktopOperator.Api.Tests.Hosts;

public sealed class HostRulesTests
{
    private const string PoolUid = "uid-desk";

    [Fact]
    public void WhyNotUsable_ReadyWithAddress_Null()
    {
        Assert.Null(HostRules.WhyNotUsable(Pod()));
        Assert.True(HostRules.IsUsable(Pod()));
    }

    [Theory]
    [InlineData("terminating", "is terminating")]
    [InlineData("ended", "has ended")]
    [InlineData("draining", "is draining (Outdated)")]
    [InlineData("not-ready", "is not ready")]
    [InlineData("no-address", "is not ready")]
    public void WhyNotUsable_EachBrokenRule_NamesIt(string broken, string expected)
    {
        var pod = Pod();
        switch (broken)
        {
            case "terminating":
                pod.Metadata.DeletionTimestamp = DateTime.UtcNow;
                break;
            case "ended":
                pod.Status.Phase = "Failed";
                break;
            case "draining":
                pod.Metadata.Labels[HostLabels.Draining] = "Outdated";
                break;
            case "not-ready":
                pod.Status.Conditions = [new V1PodCondition { Type = "Ready", Status = "False" }];
                break;
            default:
                pod.Status.PodIP = null;
                break;
        }

        Assert.Equal(expected, HostRules.WhyNotUsable(pod));
        Assert.False(HostRules.IsUsable(pod));
    }

    [Fact]
    public void WhyNotUsable_TerminatingAndDraining_TerminatingFirst()
    {
        var pod = Pod();
        pod.Metadata.DeletionTimestamp = DateTime.UtcNow;
        pod.Metadata.Labels[HostLabels.Draining] = "ScaleDown";

        Assert.Equal("is terminating", HostRules.WhyNotUsable(pod));
    }

    [Fact]
    public void BelongsTo_LabelNamespaceAndControllerUidMatch_True()
    {
        Assert.True(HostRules.BelongsTo(Pod(), Pool()));
    }

    [Theory]
    [InlineData("label")]
    [InlineData("namespace")]
    [InlineData("uid")]
    [InlineData("not-controller")]
    public void BelongsTo_AnyMismatch_False(string mismatch)
    {
        var pod = Pod();
        switch (mismatch)
        {
            case "label":
                pod.Metadata.Labels[HostLabels.Pool] = "other";
                break;
            case "namespace":
                pod.Metadata.NamespaceProperty = "elsewhere";
                break;
            case "uid":
                pod.Metadata.OwnerReferences[0].Uid = "uid-of-a-deleted-namesake";
                break;
            default:
                pod.Metadata.OwnerReferences[0].Controller = false;
                break;
        }

        Assert.False(HostRules.BelongsTo(pod, Pool()));
    }

    private static DesktopPool Pool() => new() { Metadata = new V1ObjectMeta { Name = "desk", NamespaceProperty = "desktops", Uid = PoolUid } };

    private static V1Pod Pod() => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "desk-0",
            NamespaceProperty = "desktops",
            Labels = new Dictionary<string, string> { [HostLabels.Pool] = "desk" },
            OwnerReferences = [new V1OwnerReference { ApiVersion = ApiGroup.GroupVersion, Kind = DesktopPool.KindName, Name = "desk", Uid = PoolUid, Controller = true }],
        },
        Status = new V1PodStatus { Phase = "Running", PodIP = "10.0.0.5", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
    };
}
