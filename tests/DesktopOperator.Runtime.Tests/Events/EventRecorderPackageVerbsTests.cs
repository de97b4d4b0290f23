using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Runtime.Events;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Waiting;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Tests.Events;

/// <summary>The recorder on KubernetesClient's typed CoreV1 Event verbs, against the test API server.</summary>
public sealed class EventRecorderPackageVerbsTests
{
    [Fact]
    public async Task Record_SameEventTwiceOnThePackageVerbs_CreatesOneEventWithCountTwo()
    {
        await using var server = new TestApiServer();
        await server.StartAsync();
        using var kubernetes = KubernetesFactory.Create(new KubeClientSettings { Host = server.BaseAddress });
        var map = await kubernetes.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "cm" } }, "default");
        var recorder = new EventRecorder(kubernetes, new EventRecorderOptions { Component = "desktop-operator", Instance = "pod-0" });
        using var stop = new CancellationTokenSource();
        var running = recorder.RunAsync(stop.Token);
        var events = new List<Corev1Event>();

        recorder.Record(map, "Normal", "Seen", "looked at it");
        recorder.Record(map, "Normal", "Seen", "looked at it");
        await Eventually.WaitAsync(
            () =>
            {
                events = [.. kubernetes.CoreV1.ListNamespacedEvent("default", fieldSelector: "involvedObject.name=cm").Items];
                return events is [{ Count: 2 }];
            },
            "one event with count 2");
        await stop.CancelAsync();
        await running;

        Assert.Equal("Seen", events[0].Reason);
        Assert.Equal("ConfigMap", events[0].InvolvedObject.Kind);
        Assert.Equal(0, recorder.Dropped);
    }
}
