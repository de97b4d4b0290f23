using System.Text.Json;
using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Kubernetes;
using DesktopOperator.Gateway.Model;
using k8s.Models;

namespace DesktopOperator.Gateway.Tests.Kubernetes;

public sealed class PodHostsTests
{
    private const string PoolUid = "uid-desk";

    [Fact]
    public void Of_TemplatePool_ReadyDrainingTerminatingAndNotReadyPodsMappedByTheSharedRule()
    {
        var pods = new[]
        {
            Pod("desk-c", "10.0.0.3", ready: true, draining: "Outdated"),
            Pod("desk-a", "10.0.0.1", ready: true),
            Pod("desk-b", "10.0.0.2", ready: false),
            Pod("desk-d", "10.0.0.4", ready: true, terminating: true),
        };

        var hosts = PodHosts.Of(TemplatePool(), pods);

        Assert.Equal(
            [
                new GatewayHost("desk-a", "10.0.0.1"),
                new GatewayHost("desk-b", "10.0.0.2", Ready: false),
                new GatewayHost("desk-c", "10.0.0.3", Draining: true),
                new GatewayHost("desk-d", "10.0.0.4", Draining: true),
            ],
            hosts);
    }

    [Fact]
    public void Of_TemplatePool_PodsWithoutAddressEndedOrOfAnotherPoolLeftOut()
    {
        var ended = Pod("desk-ended", "10.0.0.9", ready: false);
        ended.Status.Phase = "Failed";
        var namesake = Pod("desk-old", "10.0.0.8", ready: true);
        namesake.Metadata.OwnerReferences[0].Uid = "uid-of-a-deleted-namesake";
        var pods = new[] { Pod("desk-new", null, ready: false), ended, namesake, Pod("desk-a", "10.0.0.1", ready: true) };

        var hosts = PodHosts.Of(TemplatePool(), pods);

        Assert.Equal([new GatewayHost("desk-a", "10.0.0.1")], hosts);
    }

    [Fact]
    public void Of_StaticPool_StaticHostsWithTheirWeights()
    {
        var pool = new DesktopPool
        {
            Metadata = new V1ObjectMeta { Name = "statics", NamespaceProperty = "desktops", Uid = PoolUid },
            Spec = new DesktopPoolSpec { StaticHosts = [new StaticHost { Name = "ts-1", Address = "ts-1.example", Weight = 3 }] },
        };

        Assert.Equal([new GatewayHost("ts-1", "ts-1.example", 3)], PodHosts.Of(pool, [Pod("desk-a", "10.0.0.1", ready: true)]));
    }

    private static DesktopPool TemplatePool() => new()
    {
        Metadata = new V1ObjectMeta { Name = "desk", NamespaceProperty = "desktops", Uid = PoolUid },
        Spec = new DesktopPoolSpec { Template = new HostTemplate { Spec = JsonDocument.Parse("""{"containers":[]}""").RootElement.Clone() } },
    };

    private static V1Pod Pod(string name, string? ip, bool ready, string? draining = null, bool terminating = false)
    {
        var labels = new Dictionary<string, string> { [HostLabels.Pool] = "desk" };
        if (draining is not null)
        {
            labels[HostLabels.Draining] = draining;
        }

        return new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = "desktops",
                Labels = labels,
                DeletionTimestamp = terminating ? DateTime.UtcNow : null,
                OwnerReferences = [new V1OwnerReference { ApiVersion = ApiGroup.GroupVersion, Kind = DesktopPool.KindName, Name = "desk", Uid = PoolUid, Controller = true }],
            },
            Status = new V1PodStatus
            {
                Phase = "Running",
                PodIP = ip,
                Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
            },
        };
    }
}
