using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Events;
using DesktopOperator.Testing.Waiting;
using k8s;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Runtime;

/// <summary>The EventRecorder writing to the TestApiServer (or a real cluster).</summary>
public sealed class EventRecorderTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Record_SameEventTwice_CreatesOneEventWithCountTwo()
    {
        await using var cluster = await KubeCluster.StartAsync();
        var route = await cluster.Client.CreateAsync(TypedVerbTests.Route(cluster.Namespace, "r1", "alice"), Ct);
        var recorder = new EventRecorder(cluster.Client, new EventRecorderOptions { Component = "desktop-operator", Instance = "it" });
        using var stop = new CancellationTokenSource();
        var running = recorder.RunAsync(stop.Token);
        var selector = new ListOptions { FieldSelector = $"involvedObject.name=r1,involvedObject.uid={route.Metadata.Uid}" };

        recorder.Record(route, "Normal", "Bound", "bound to host-1");
        await Eventually.TrueAsync(async () => (await cluster.Client.ListAsync<Corev1Event>(cluster.Namespace, selector, Ct)).Items.Count == 1, "the event is created", Ct);
        recorder.Record(route, "Normal", "Bound", "bound to host-1");
        await Eventually.TrueAsync(
            async () => (await cluster.Client.ListAsync<Corev1Event>(cluster.Namespace, selector, Ct)).Items.SingleOrDefault()?.Count == 2,
            "the repeat raises the count to 2",
            Ct);
        await stop.CancelAsync();
        await running;
        var ev = Assert.Single((await cluster.Client.ListAsync<Corev1Event>(cluster.Namespace, selector, Ct)).Items);

        Assert.Equal("Bound", ev.Reason);
        Assert.Equal("bound to host-1", ev.Message);
        Assert.Equal("SessionRoute", ev.InvolvedObject.Kind);
        Assert.Equal("desktop-operator", ev.Source?.Component);
        Assert.True(ev.LastTimestamp >= ev.FirstTimestamp);
        Assert.Equal(0, recorder.Dropped);
    }
}
