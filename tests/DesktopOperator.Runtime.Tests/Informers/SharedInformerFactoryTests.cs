using DesktopOperator.Runtime.Informers;
using DesktopOperator.Runtime.Tests.Support;
using DesktopOperator.Testing.Fakes;

namespace DesktopOperator.Runtime.Tests.Informers;

public sealed class SharedInformerFactoryTests
{
    [Fact]
    public async Task GetInformer_SameTypeAndScope_OneSharedInformerThatSyncs()
    {
        var client = new InMemoryKubernetesClient();
        await client.CreateAsync(Widget.Make("a", "ns1"), CancellationToken.None);
        await client.CreateAsync(Widget.Make("b", "ns2"), CancellationToken.None);
        var factory = new SharedInformerFactory(client);

        var first = factory.GetInformer<Widget>();
        var second = factory.GetInformer<Widget>();
        var scoped = factory.GetInformer(new InformerOptions<Widget> { Namespace = "ns1" });

        Assert.Same(first, second);
        Assert.NotSame(first, scoped);

        using var stop = new CancellationTokenSource();
        await factory.StartAsync(stop.Token);
        await factory.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var late = factory.GetInformer(new InformerOptions<Widget> { Namespace = "ns2" });
        await late.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(factory.HasSynced);
        Assert.Equal(2, first.Cache.Count);
        Assert.Equal(["a"], scoped.Cache.List().Select(w => w.Metadata.Name));
        Assert.Equal(["b"], late.Cache.List().Select(w => w.Metadata.Name));

        await stop.CancelAsync();
        await factory.WhenStoppedAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
