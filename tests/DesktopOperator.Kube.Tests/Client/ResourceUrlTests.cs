using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Tests.Support;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Client;

public sealed class ResourceUrlTests
{
    [Fact]
    public void Build_EveryScopeAndGroupShape_MatchesTheApiServerPaths()
    {
        Assert.Equal("/api/v1/namespaces/ns/pods/p/status", ResourceUrl.Build(EntityInfo<V1Pod>.Entity, "ns", "p", "status", namespaceRequired: true));
        Assert.Equal("/api/v1/pods", ResourceUrl.Build(EntityInfo<V1Pod>.Entity, null, null, null, namespaceRequired: false));
        Assert.Equal("/api/v1/namespaces/ns", ResourceUrl.Build(EntityInfo<V1Namespace>.Entity, "ignored", "ns", null, namespaceRequired: true));
        Assert.Equal("/api/v1/namespaces", ResourceUrl.Build(EntityInfo<V1Namespace>.Entity, null, null, null, namespaceRequired: false));
        Assert.Equal("/apis/coordination.k8s.io/v1/leases", ResourceUrl.Build(EntityInfo<V1Lease>.Entity, null, null, null, namespaceRequired: false));
        Assert.Equal(
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.test",
            ResourceUrl.Build(EntityInfo<V1CustomResourceDefinition>.Entity, null, "widgets.example.test", null, namespaceRequired: true));
        Assert.Equal("/apis/example.test/v1/namespaces/s/widgets/w", ResourceUrl.Build(EntityInfo<Widget>.Entity, "s", "w", null, namespaceRequired: true));
        Assert.Equal("/api/v1/namespaces/ns/services", ResourceUrl.Build(EntityInfo<V1Service>.Entity, "ns", null, null, namespaceRequired: true));
        Assert.Equal("/api/v1/namespaces/ns/events", ResourceUrl.Build(EntityInfo<Corev1Event>.Entity, "ns", null, null, namespaceRequired: true));
    }

    [Fact]
    public void Build_EmptyName_Throws()
    {
        Assert.Throws<ArgumentException>(() => ResourceUrl.Build(EntityInfo<V1Pod>.Entity, "ns", "", null, namespaceRequired: true));
    }

    [Fact]
    public void EntityInfo_TypeWithoutAttribute_ThrowsNamingTheType()
    {
        var error = Assert.Throws<TypeInitializationException>(() => EntityInfo<NotAnEntity>.Entity);

        Assert.Contains(nameof(NotAnEntity), error.InnerException!.Message, StringComparison.Ordinal);
    }

    private sealed class NotAnEntity : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = "";

        public string Kind { get; set; } = "";

        public V1ObjectMeta Metadata { get; set; } = new();
    }
}
