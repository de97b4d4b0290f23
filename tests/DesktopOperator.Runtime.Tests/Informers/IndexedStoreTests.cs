using DesktopOperator.Runtime.Informers;
using DesktopOperator.Runtime.Tests.Support;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Tests.Informers;

public sealed class IndexedStoreTests
{
    private readonly IndexedStore<Widget> _store = new();

    [Fact]
    public void ByIndex_StandardIndexers_FindByNamespaceOwnerAndLabel()
    {
        var owned = Widget.Make("a", "ns1", labels: new Dictionary<string, string> { ["pool"] = "p1" });
        owned.Metadata.OwnerReferences = [new V1OwnerReference { Kind = "Pool", Name = "p1", Uid = "uid-1", Controller = true }];
        _store.Upsert(owned);
        _store.Upsert(Widget.Make("b", "ns2", labels: new Dictionary<string, string> { ["pool"] = "p2" }));

        Assert.Equal(["a"], _store.ByIndex(Indexers.Namespace, "ns1").Select(w => w.Metadata.Name));
        Assert.Equal(["a"], _store.ByIndex(Indexers.ControllerOwnerUid, "uid-1").Select(w => w.Metadata.Name));
        Assert.Equal(["b"], _store.ByIndex(Indexers.Label, Indexers.LabelValue("pool", "p2")).Select(w => w.Metadata.Name));
        Assert.Empty(_store.ByIndex(Indexers.Label, Indexers.LabelValue("pool", "p3")));
    }

    [Fact]
    public void Upsert_LabelChanged_IndexFollows()
    {
        _store.Upsert(Widget.Make("a", labels: new Dictionary<string, string> { ["pool"] = "p1" }));
        _store.Upsert(Widget.Make("a", labels: new Dictionary<string, string> { ["pool"] = "p2" }));

        Assert.Empty(_store.ByIndex(Indexers.Label, "pool=p1"));
        Assert.Single(_store.ByIndex(Indexers.Label, "pool=p2"));
        Assert.Equal(["pool=p2"], _store.IndexValues(Indexers.Label));
    }

    [Fact]
    public void Replace_SomeKeysGone_ReturnsThemAsRemovedAndUnindexes()
    {
        _store.Upsert(Widget.Make("a"));
        _store.Upsert(Widget.Make("b"));

        var (upserted, removed) = _store.Replace([Widget.Make("b"), Widget.Make("c")]);

        Assert.Equal(["a"], removed.Select(w => w.Metadata.Name));
        Assert.Equal([("b", true), ("c", false)], upserted.Select(u => (u.New.Metadata.Name!, u.Old is not null)));
        Assert.Equal(["b", "c"], _store.ByIndex(Indexers.Namespace, "default").Select(w => w.Metadata.Name!).Order());
    }

    [Fact]
    public void CustomIndexer_Registered_Used()
    {
        var store = new IndexedStore<Widget>(new Dictionary<string, Func<IKubernetesObject<V1ObjectMeta>, IEnumerable<string>>>
        {
            ["replicas"] = o => [((Widget)o).Spec.Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        });
        store.Upsert(Widget.Make("a", replicas: 3));

        Assert.Single(store.ByIndex("replicas", "3"));
        Assert.Throws<ArgumentException>(() => store.ByIndex(Indexers.Namespace, "default"));
    }
}
