using System.Text.Json.Nodes;
using DesktopOperator.Testing.ApiServer;

namespace DesktopOperator.IntegrationTests.ApiServer;

/// <summary>
/// Transcript 17 ran with kube-controller-manager: its replay runs the server's controller stand-ins on a faster
/// clock (node heartbeat grace and pod-GC quarantine 40 s → 2 s), creates what the capture created unrecorded (its
/// notes and watches name them), and re-sends a step that waits for a controller ("once …", "… later", "at the end")
/// until it matches — the recorded timings normalised to "eventually": for 3 s when KNOWN-DIFFERENCES.md lists the step
/// (it is expected to differ), for up to 20 s when it does not (on a loaded machine the controller stand-ins can take
/// longer than 3 s to act, and a step that must match should not fail for that).
/// </summary>
internal sealed partial class TranscriptReplayer
{
    private static readonly string[] WaitingWords = ["once ", " later", "after ", "at the end", "caught up", "while it waits", "(deleted by", "(deletionTimestamp set by"];

    private static void WithControllers(TestApiServerOptions options)
    {
        options.GarbageCollection = true;
        options.NodeAndDisruptionControllers = true;
        options.NodeMonitorGracePeriod = TimeSpan.FromSeconds(2);
        options.PodGcQuarantine = TimeSpan.FromSeconds(2);
        options.ControllerPeriod = TimeSpan.FromMilliseconds(100);
        options.Namespaces.Add("s17-evict");
        options.Namespaces.Add("s17-gc");
    }

    private static bool WaitsForControllers(string step) => WaitingWords.Any(w => step.Contains(w, StringComparison.Ordinal));

    private async Task ExchangeUntilMatchedAsync(HttpClient client, TestApiServer server, JsonObject entry, List<string> diffs, CancellationToken ct)
    {
        var step = entry["step"]!.GetValue<string>();
        var until = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(_listed.Contains(step) ? 3 : 20);
        while (true)
        {
            var attempt = new List<string>();
            await ExchangeAsync(client, server, entry, attempt, ct);
            if (attempt.Count == 0 || DateTimeOffset.UtcNow > until)
            {
                diffs.AddRange(attempt);
                if (attempt.Count > 0 && server.ControllerError is { } error)
                {
                    diffs.Add("(the controller stand-ins last failed with: " + error + ")");
                }

                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct); // polling pace, as the capture polled
        }
    }

    /// <summary>Objects the capture made without recording them, created just before the step that first needs them.</summary>
    private async Task SetUpUnrecordedAsync(HttpClient client, string step, CancellationToken ct)
    {
        if (step.StartsWith("[5] create PDB pdb-evict", StringComparison.Ordinal))
        {
            await CopyPodAsync(client, "[5] create pod e-1", "e-2", null, ct);
            var status = RecordedBody("[5] as its node: strategic-merge PATCH pods/e-1/status").ToJsonString()
                .Replace("\"<time>\"", "\"2024-01-01T00:00:00Z\"", StringComparison.Ordinal).Replace("127.0.0.31", "127.0.0.32", StringComparison.Ordinal);
            await SendAsync(client, "PATCH", "/api/v1/namespaces/s17-evict/pods/e-2/status", status, ct, "application/strategic-merge-patch+json");
        }
        else if (step.StartsWith("[2] DELETE owner pool-bg", StringComparison.Ordinal))
        {
            await CopyPodAsync(client, "[2] create pod bg-unsched", "bg-sched", "node-sim", ct);
        }
        else if (step.StartsWith("[2] DELETE owner pool-fg", StringComparison.Ordinal))
        {
            await CopyPodAsync(client, "[2] create pod fg-unsched", "fg-sched", "node-sim", ct);
        }
        else if (step.StartsWith("[2] DELETE owner pool-or", StringComparison.Ordinal))
        {
            await CopyPodAsync(client, "[2] create pod or-1", "or-2", null, ct);
        }
        else if (step == "[6] setup")
        {
            foreach (var ns in new[] { "s17-doomed", "s17-stuck" })
            {
                await SendAsync(client, "POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\",\"labels\":{\"s17-ns\":\"delete\"}}}", ct);
            }

            await SendAsync(client, "POST", "/apis/example.test/v1/namespaces/s17-doomed/widgets", "{\"apiVersion\":\"example.test/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},\"spec\":{\"size\":\"small\"}}", ct);
            await SendAsync(client, "POST", "/api/v1/namespaces/s17-doomed/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"automountServiceAccountToken\":false,\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1\"}]}}", ct);
            await SendAsync(client, "POST", "/apis/example.test/v1/namespaces/s17-stuck/widgets", "{\"apiVersion\":\"example.test/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w-hold\",\"finalizers\":[\"example.test/hold\"]},\"spec\":{\"size\":\"small\"}}", ct);
            await SendAsync(client, "POST", "/api/v1/namespaces/s17-stuck/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p-sched\"},\"spec\":{\"automountServiceAccountToken\":false,\"nodeName\":\"node-sim\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1\"}]}}", ct);
        }
    }

    /// <summary>Creates a sibling of a recorded pod create (same owner references, resolved to live uids).</summary>
    private async Task CopyPodAsync(HttpClient client, string recordedStep, string name, string? node, CancellationToken ct)
    {
        var entry = _entries.OfType<JsonObject>().First(e => e["step"]!.GetValue<string>().StartsWith(recordedStep, StringComparison.Ordinal));
        var body = SubstituteUids(entry["request"]!["body"]!.DeepClone(), string.Empty).AsObject();
        body["metadata"]!["name"] = name;
        if (node is not null)
        {
            body["spec"]!["nodeName"] = node;
        }

        await SendAsync(client, "POST", entry["request"]!["path"]!.GetValue<string>(), body.ToJsonString(), ct);
    }

    private JsonNode RecordedBody(string recordedStep) =>
        _entries.OfType<JsonObject>().First(e => e["step"]!.GetValue<string>().StartsWith(recordedStep, StringComparison.Ordinal))["request"]!["body"]!.DeepClone();
}
