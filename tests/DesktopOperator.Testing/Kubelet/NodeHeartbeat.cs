using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.Kubelet;

/// <summary>
/// What a kubelet does to look alive, through the API only (transcript 17): it registers its <c>Node</c> (before any
/// pod is bound to it, or the pod garbage collector deletes those pods), posts the node's status with Ready=True, and
/// renews its Lease <c>kube-node-lease/NODE</c> every <see cref="SimulatedKubeletOptions.LeaseRenewInterval"/>, well
/// within the 40 s after which kube-controller-manager marks the node Unknown and its pods not Ready.
/// </summary>
internal sealed class NodeHeartbeat(HttpClient client, SimulatedKubeletOptions options)
{
    private const string LeasesPath = "apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";

    private string Node => options.NodeName;

    /// <summary>Creates the Node (an existing one is kept) and posts its Ready status.</summary>
    public async Task RegisterAsync(CancellationToken ct)
    {
        var node = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = Node,
                ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = Node, ["kubernetes.io/os"] = "linux" },
            },
        };
        using var response = await client.PostAsync("api/v1/nodes", Json(node, "application/json"), ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            response.EnsureSuccessStatusCode();
        }

        await PostReadyAsync(ct).ConfigureAwait(false);
        await RenewAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Renews the Lease until cancelled; re-posts Ready when the node was marked otherwise meanwhile.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(options.LeaseRenewInterval, options.TimeProvider, ct).ConfigureAwait(false);
            try
            {
                await RenewAsync(ct).ConfigureAwait(false);
                var current = JsonNode.Parse(await client.GetStringAsync($"api/v1/nodes/{Node}", ct).ConfigureAwait(false));
                var ready = (current?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.ToString() == "Ready");
                if (ready?["status"]?.ToString() != "True")
                {
                    await PostReadyAsync(ct).ConfigureAwait(false);
                }
            }
            catch (HttpRequestException) when (!ct.IsCancellationRequested)
            {
                // The API server is unreachable (outage, fault injection): try again at the next interval.
            }
        }
    }

    private async Task RenewAsync(CancellationToken ct)
    {
        var now = MicroTime();
        var patch = new JsonObject { ["spec"] = new JsonObject { ["holderIdentity"] = Node, ["leaseDurationSeconds"] = 40, ["renewTime"] = now } };
        using var response = await client.PatchAsync($"{LeasesPath}/{Node}", Json(patch, "application/merge-patch+json"), ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
            return;
        }

        var lease = new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = Node },
            ["spec"] = patch["spec"]!.DeepClone(),
        };
        using var created = await client.PostAsync(LeasesPath, Json(lease, "application/json"), ct).ConfigureAwait(false);
        if (created.StatusCode != HttpStatusCode.Conflict)
        {
            created.EnsureSuccessStatusCode();
        }
    }

    private async Task PostReadyAsync(CancellationToken ct)
    {
        var now = options.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        JsonObject Condition(string type, string status, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = status,
            ["reason"] = reason,
            ["message"] = message,
            ["lastHeartbeatTime"] = now,
            ["lastTransitionTime"] = now,
        };
        var capacity = new JsonObject { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" };
        var patch = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(
                    Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                    Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status")),
                ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" }, new JsonObject { ["type"] = "Hostname", ["address"] = Node }),
                ["capacity"] = capacity,
                ["allocatable"] = capacity.DeepClone(),
                ["nodeInfo"] = new JsonObject { ["kubeletVersion"] = "v1.24.0-sim", ["operatingSystem"] = "linux", ["architecture"] = "amd64", ["containerRuntimeVersion"] = "sim://1" },
            },
        };
        using var response = await client.PatchAsync($"api/v1/nodes/{Node}/status", Json(patch, "application/merge-patch+json"), ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A Lease time: MicroTime needs exactly six fractional digits (transcript 12).</summary>
    private string MicroTime() => options.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static StringContent Json(JsonNode body, string mediaType) => new(body.ToJsonString(), Encoding.UTF8, mediaType);
}
