using DesktopOperator.Runtime.Informers;
using DesktopOperator.Runtime.Tests.Support;

namespace DesktopOperator.Runtime.Tests.Informers;

public sealed class SharedInformerFactoryTests(WidgetApiFixture fixture) : IClassFixture<WidgetApiFixture>
{
    [Fact]
    public async Task GetInformer_SameTypeAndScope_OneSharedInformerThatSyncs()
    {
        // The only test of its class: the cluster-wide informer sees the fixture's server alone.
        var client = fixture.Api.Client;
        var ns1 = fixture.Api.NewNamespace();
        var ns2 = fixture.Api.NewNamespace();
        await client.CreateAsync(Widget.Make("a", ns1), CancellationToken.None);
        await client.CreateAsync(Widget.Make("b", ns2), CancellationToken.None);
        var factory = new SharedInformerFactory(client);

        var first = factory.GetInformer<Widget>();
        var second = factory.GetInformer<Widget>();
        var scoped = factory.GetInformer(new InformerOptions<Widget> { Namespace = ns1 });

        Assert.Same(first, second);
        Assert.NotSame(first, scoped);

        using var stop = new CancellationTokenSource();
        await factory.StartAsync(stop.Token);
        await factory.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var late = factory.GetInformer(new InformerOptions<Widget> { Namespace = ns2 });
        await late.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(factory.HasSynced);
        Assert.Equal(2, first.Cache.Count);
        Assert.Equal(["a"], scoped.Cache.List().Select(w => w.Metadata.Name));
        Assert.Equal(["b"], late.Cache.List().Select(w => w.Metadata.Name));

        await stop.CancelAsync();
        await factory.WhenStoppedAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
