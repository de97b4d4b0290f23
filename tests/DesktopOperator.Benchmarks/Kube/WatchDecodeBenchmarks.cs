using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Benchmarks.Kube;

/// <summary>
/// Decoding a watch stream of 1,000 Pod events (about 2.5 KB each, like a real running pod): the client's
/// PipeReader decoder against the naive ReadLine-then-deserialize-a-string form, and (LinesOnly) the parse
/// alone on pre-split lines: our envelope scan + object slice against one typed-envelope deserialization.
/// Run: <c>dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- --filter '*WatchDecode*'</c>.
/// </summary>
[MemoryDiagnoser]
public class WatchDecodeBenchmarks
{
    private const int Events = 1000;
    private byte[] _stream = [];

    [GlobalSetup]
    public void Setup()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < Events; i++)
        {
            builder.Append("{\"type\":\"MODIFIED\",\"object\":").Append(PodJson(i)).Append("}\n");
        }

        _stream = Encoding.UTF8.GetBytes(builder.ToString());
    }

    [Benchmark]
    public async Task<int> PipeReaderDecoder()
    {
        var reader = PipeReader.Create(new MemoryStream(_stream, writable: false), WatchStreamDecoder<V1Pod>.ReaderOptions);
        var decoder = new WatchStreamDecoder<V1Pod>(reader);
        var count = 0;
        while (await decoder.ReadNextAsync(CancellationToken.None) is not null)
        {
            count++;
        }

        await reader.CompleteAsync();
        return count;
    }

    [Benchmark]
    public int DecodeLinesOnly()
    {
        var count = 0;
        var span = _stream.AsSpan();
        while (span.Length > 0)
        {
            var end = span.IndexOf((byte)'\n');
            count += WatchStreamDecoder<V1Pod>.Decode(span[..end]).Resource is null ? 0 : 1;
            span = span[(end + 1)..];
        }

        return count;
    }

    [Benchmark]
    public int DeserializeUtf8LinesOnly()
    {
        var count = 0;
        var span = _stream.AsSpan();
        while (span.Length > 0)
        {
            var end = span.IndexOf((byte)'\n');
            count += JsonSerializer.Deserialize<RawEvent>(span[..end], KubeJson.Options)!.Resource is null ? 0 : 1;
            span = span[(end + 1)..];
        }

        return count;
    }

    [Benchmark(Baseline = true)]
    public async Task<int> ReadLineThenDeserializeString()
    {
        using var reader = new StreamReader(new MemoryStream(_stream, writable: false));
        var count = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            var e = JsonSerializer.Deserialize<RawEvent>(line, KubeJson.Options)!;
            count += e.Resource is null ? 0 : 1;
        }

        return count;
    }

    private static string PodJson(int i) => """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"desktop-#I#","namespace":"pools","uid":"8f0c8a5e-1c1d-4d7e-9a9b-#UID#","resourceVersion":"1#I#","creationTimestamp":"2024-01-01T00:00:00Z","labels":{"app.kubernetes.io/name":"desktop","desktop.example/pool":"p1"},"ownerReferences":[{"apiVersion":"desktop.example/v1alpha1","kind":"DesktopPool","name":"p1","uid":"0b6c1f7a-2b0f-4c36-9a55-3f0c7c1b2a11","controller":true,"blockOwnerDeletion":true}],"managedFields":[{"manager":"desktop-operator","operation":"Update","apiVersion":"v1","time":"2024-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app.kubernetes.io/name":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"desktop\"}":{".":{},"f:image":{},"f:name":{}}}}}}]},
         "spec":{"containers":[{"name":"desktop","image":"registry.example/desktop:1.2.3","ports":[{"name":"rdp","containerPort":3389,"protocol":"TCP"},{"name":"vnc","containerPort":5901,"protocol":"TCP"}],"env":[{"name":"POOL","value":"p1"}],"resources":{"requests":{"cpu":"500m","memory":"1Gi"}},"readinessProbe":{"tcpSocket":{"port":3389},"periodSeconds":5}}],"nodeName":"node-1","restartPolicy":"Always","serviceAccountName":"default","terminationGracePeriodSeconds":30},
         "status":{"phase":"Running","podIP":"10.1.2.#IP#","podIPs":[{"ip":"10.1.2.#IP#"}],"hostIP":"192.168.1.10","startTime":"2024-01-01T00:00:00Z","conditions":[{"type":"Initialized","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z"},{"type":"Ready","status":"True","lastTransitionTime":"2024-01-01T00:00:05Z"},{"type":"ContainersReady","status":"True","lastTransitionTime":"2024-01-01T00:00:05Z"},{"type":"PodScheduled","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z"}],"containerStatuses":[{"name":"desktop","ready":true,"restartCount":0,"image":"registry.example/desktop:1.2.3","imageID":"registry.example/desktop@sha256:abc","containerID":"containerd://abc","started":true,"state":{"running":{"startedAt":"2024-01-01T00:00:03Z"}}}]}}
        """.ReplaceLineEndings("")
        .Replace("#UID#", i.ToString("D12", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("#IP#", (i % 250).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("#I#", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>The naive shape: a line string, deserialized whole.</summary>
    public sealed class RawEvent
    {
        public string? Type { get; set; }

        [System.Text.Json.Serialization.JsonPropertyName("object")]
        public V1Pod? Resource { get; set; }
    }
}
