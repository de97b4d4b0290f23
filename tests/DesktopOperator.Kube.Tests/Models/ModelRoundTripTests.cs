using System.Text.Json.Nodes;
using DesktopOperator.Kube.Models;
using DesktopOperator.Kube.Tests.Support;

namespace DesktopOperator.Kube.Tests.Models;

public sealed class ModelRoundTripTests
{
    private const string PodWithUnknownFields = """
        {
          "apiVersion": "v1", "kind": "Pod", "topLevelFuture": {"a": 1},
          "metadata": {"name": "p", "namespace": "ns", "managedFields": [{"manager": "m"}], "metaFuture": "x",
                       "ownerReferences": [{"apiVersion": "x/v1", "kind": "Pool", "name": "o", "uid": "u", "ownerFuture": true}]},
          "spec": {
            "containers": [{"name": "c", "image": "i", "containerFuture": [1, 2],
                            "ports": [{"containerPort": 3389, "portFuture": "p"}],
                            "env": [{"name": "A", "value": "1", "envFuture": null}],
                            "resources": {"limits": {"cpu": "1"}}}],
            "nodeName": "n", "restartPolicy": "Always", "dnsPolicy": "ClusterFirst", "specFuture": {"deep": {"deeper": [true]}}
          },
          "status": {
            "phase": "Running", "podIP": "127.0.1.5", "podIPs": [{"ip": "127.0.1.5", "ipFuture": 4}],
            "conditions": [{"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-01-01T00:00:00Z", "conditionFuture": 1}],
            "containerStatuses": [{"name": "c", "ready": true, "restartCount": 0, "state": {"running": {"startedAt": "2024-01-01T00:00:00Z"}}, "statusFuture": "s"}],
            "qosClass": "BestEffort", "startTime": "2024-01-01T00:00:00Z"
          }
        }
        """;

    [Fact]
    public void Pod_ReadModifyWrite_KeepsUnknownFieldsAtEveryLevel()
    {
        var pod = KubernetesJson.Deserialize<V1Pod>(PodWithUnknownFields);

        pod.Metadata.Labels = new Dictionary<string, string> { ["edited"] = "yes" };
        pod.Spec!.Containers[0].Image = "i2";
        var written = JsonNode.Parse(KubernetesJson.Serialize(pod))!;

        var expected = JsonNode.Parse(PodWithUnknownFields)!;
        expected["metadata"]!["labels"] = new JsonObject { ["edited"] = "yes" };
        expected["spec"]!["containers"]![0]!["image"] = "i2";
        Assert.True(JsonNode.DeepEquals(WithoutNulls(expected), WithoutNulls(written)), written.ToJsonString());
        Assert.Equal("127.0.1.5", pod.Status!.PodIPs![0].Ip);
        Assert.Equal("True", pod.Status.Conditions![0].Status);
        Assert.Equal(3389, pod.Spec.Containers[0].Ports![0].ContainerPort);
    }

    public static TheoryData<string, string, string> RecordedObjects => new()
    {
        { "11-pods.json", "v1", "Pod" },
        { "12-leases.json", "coordination.k8s.io/v1", "Lease" },
        { "13-events.json", "v1", "Event" },
        { "10-finalizers-deletion.json", "v1", "Namespace" },
        { "02-crd-lifecycle.json", "apiextensions.k8s.io/v1", "CustomResourceDefinition" },
    };

    [Theory]
    [MemberData(nameof(RecordedObjects))]
    public void RecordedResponseBodies_RoundTripWithoutLoss(string file, string apiVersion, string kind)
    {
        var bodies = Reference.ResponseBodies(file)
            .Where(b => b["apiVersion"]?.GetValue<string>() == apiVersion && b["kind"]?.GetValue<string>() == kind)
            .ToList();
        Assert.NotEmpty(bodies);

        foreach (var body in bodies)
        {
            var json = body.ToJsonString();
            var written = kind switch
            {
                "Pod" => KubernetesJson.Serialize(KubernetesJson.Deserialize<V1Pod>(json)),
                "Lease" => KubernetesJson.Serialize(KubernetesJson.Deserialize<V1Lease>(json)),
                "Event" => KubernetesJson.Serialize(KubernetesJson.Deserialize<Corev1Event>(json)),
                "Namespace" => KubernetesJson.Serialize(KubernetesJson.Deserialize<V1Namespace>(json)),
                _ => KubernetesJson.Serialize(KubernetesJson.Deserialize<V1CustomResourceDefinition>(json)),
            };
            Assert.True(JsonNode.DeepEquals(WithoutNulls(body), WithoutNulls(JsonNode.Parse(written))), $"{json}\n!=\n{written}");
        }
    }

    [Fact]
    public void Lease_MicroTimes_AreWrittenWithSixFractionalDigits()
    {
        var lease = new V1Lease
        {
            Spec = new V1LeaseSpec
            {
                AcquireTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
                RenewTime = new DateTimeOffset(2024, 1, 1, 1, 0, 20, TimeSpan.FromHours(1)).AddTicks(1234567),
            },
        };

        var spec = JsonNode.Parse(KubernetesJson.Serialize(lease))!["spec"]!;

        Assert.Equal("2024-01-01T00:00:00.000000Z", spec["acquireTime"]!.GetValue<string>());
        Assert.Equal("2024-01-01T00:00:20.123456Z", spec["renewTime"]!.GetValue<string>());
    }

    [Fact]
    public void Event_EventTimeIsMicroTimeAndTimestampsAreWholeSeconds()
    {
        var e = new Corev1Event
        {
            InvolvedObject = new V1ObjectReference { Kind = "DesktopPool", Name = "p" },
            EventTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            FirstTimestamp = new DateTimeOffset(2024, 1, 1, 0, 0, 0, 500, TimeSpan.Zero),
            Count = 2,
            Source = new V1EventSource { Component = "desktop-operator" },
        };

        var json = JsonNode.Parse(KubernetesJson.Serialize(e))!;

        Assert.Equal("2024-01-01T00:00:00.000000Z", json["eventTime"]!.GetValue<string>());
        Assert.Equal("2024-01-01T00:00:00Z", json["firstTimestamp"]!.GetValue<string>());
        Assert.Equal("desktop-operator", json["source"]!["component"]!.GetValue<string>());
    }

    private static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    o.Remove(key);
                }

                foreach (var (_, value) in o)
                {
                    WithoutNulls(value);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    WithoutNulls(item);
                }

                break;
        }

        return node;
    }
}
