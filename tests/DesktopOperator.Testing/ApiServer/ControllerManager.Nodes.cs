using System.Globalization;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

internal sealed partial class ControllerManager
{
    private static readonly string[] NodeConditions = ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"];

    /// <summary>
    /// The node lifecycle and ttl controllers: label <c>beta.kubernetes.io/os</c> and annotation
    /// <c>node.alpha.kubernetes.io/ttl</c>; the not-ready taint lifted while the node has no Ready condition or a True one;
    /// a node whose Lease and Ready heartbeat are older than the grace period goes Unknown (taint unreachable, its pods
    /// not Ready); the unreachable taint goes once the kubelet posts Ready=True again.
    /// </summary>
    private bool SyncNodes()
    {
        var changed = false;
        var now = _state.Time.GetUtcNow();
        foreach (var (name, node) in Store.Scan("nodes", string.Empty))
        {
            var updated = node.DeepClone().AsObject();
            var meta = updated["metadata"]!.AsObject();
            if (meta["labels"]?["kubernetes.io/os"] is { } os && meta["labels"]!["beta.kubernetes.io/os"] is null)
            {
                meta["labels"]!["beta.kubernetes.io/os"] = os.DeepClone();
            }

            var annotations = meta["annotations"] as JsonObject ?? [];
            annotations["node.alpha.kubernetes.io/ttl"] ??= "0";
            meta["annotations"] = annotations;
            var ready = Conditions(updated).FirstOrDefault(c => BodyDecoder.Str(c["type"]) == "Ready");
            var readyStatus = BodyDecoder.Str(ready?["status"]);
            var taints = (updated["spec"]?["taints"] as JsonArray)?.OfType<JsonObject>().Select(t => t.DeepClone().AsObject()).ToList() ?? [];
            if (readyStatus is null or "True")
            {
                taints.RemoveAll(t => BodyDecoder.Str(t["key"]) == "node.kubernetes.io/not-ready");
            }

            if (readyStatus == "True")
            {
                taints.RemoveAll(t => BodyDecoder.Str(t["key"]) == "node.kubernetes.io/unreachable");
            }

            var spec = updated["spec"] as JsonObject ?? [];
            updated["spec"] = spec;
            if (taints.Count > 0)
            {
                spec["taints"] = new JsonArray([.. taints]);
            }
            else
            {
                spec.Remove("taints");
            }

            if (!JsonNode.DeepEquals(updated, node))
            {
                _objects.Update(Context("nodes", null, name, null), updated, fromPatch: false);
                changed = true;
            }

            if (readyStatus != "Unknown" && now - LastHeartbeat(name, node) > _state.Options.NodeMonitorGracePeriod)
            {
                MarkUnknown(name, readyStatus is null);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>The newest sign of life: the node Lease's renewTime, the Ready heartbeat, or the node's creation.</summary>
    private DateTimeOffset LastHeartbeat(string name, JsonObject node)
    {
        var times = new List<string?>
        {
            BodyDecoder.Str(node["metadata"]?["creationTimestamp"]),
            BodyDecoder.Str(Store.Get("leases.coordination.k8s.io", $"kube-node-lease/{name}")?["spec"]?["renewTime"]),
        };
        times.AddRange(Conditions(node).Where(c => BodyDecoder.Str(c["type"]) == "Ready").Select(c => BodyDecoder.Str(c["lastHeartbeatTime"])));
        return times.Select(t => DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue).Max();
    }

    private void MarkUnknown(string name, bool neverPosted)
    {
        var now = _state.NowText();
        var message = neverPosted ? "Kubelet never posted node status." : "Kubelet stopped posting node status.";
        var node = Store.Get("nodes", name)!.DeepClone().AsObject();
        var status = node["status"] as JsonObject ?? [];
        node["status"] = status;
        var conditions = Conditions(node).Select(c => c.DeepClone().AsObject()).ToList();
        foreach (var type in NodeConditions)
        {
            var condition = conditions.Find(c => BodyDecoder.Str(c["type"]) == type);
            if (condition is null)
            {
                condition = new JsonObject { ["type"] = type, ["lastHeartbeatTime"] = now };
                conditions.Add(condition);
            }

            condition["status"] = "Unknown";
            condition["lastTransitionTime"] = now;
            condition["reason"] = "NodeStatusUnknown";
            condition["message"] = message;
        }

        status["conditions"] = new JsonArray([.. conditions]);
        _objects.Update(Context("nodes", null, name, "status"), node, fromPatch: false);

        node = Store.Get("nodes", name)!.DeepClone().AsObject();
        var spec = node["spec"] as JsonObject ?? [];
        node["spec"] = spec;
        var taints = spec["taints"] as JsonArray ?? [];
        taints.Add(new JsonObject { ["key"] = "node.kubernetes.io/unreachable", ["effect"] = "NoSchedule", ["timeAdded"] = now });
        spec["taints"] = taints;
        _objects.Update(Context("nodes", null, name, null), node, fromPatch: false);

        foreach (var (key, pod) in Store.Scan("pods", string.Empty).Where(kv => BodyDecoder.Str(kv.Value["spec"]?["nodeName"]) == name).ToList())
        {
            var ready = Conditions(pod).FirstOrDefault(c => BodyDecoder.Str(c["type"]) == "Ready");
            if (ready is null || BodyDecoder.Str(ready["status"]) == "False")
            {
                continue;
            }

            var copy = pod.DeepClone().AsObject();
            var podReady = Conditions(copy).First(c => BodyDecoder.Str(c["type"]) == "Ready");
            podReady["status"] = "False";
            podReady["lastTransitionTime"] = now;
            _objects.Update(Context("pods", key[..key.IndexOf('/', StringComparison.Ordinal)], BodyDecoder.Str(pod["metadata"]?["name"])!, "status"), copy, fromPatch: false);
        }
    }

    /// <summary>
    /// The pod garbage collector: a pod bound to a node name that has had no Node object for the quarantine period is
    /// force-deleted (MODIFIED with grace 0, then DELETED).
    /// </summary>
    private bool CollectOrphanedPods()
    {
        var now = _state.Time.GetUtcNow();
        var changed = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, pod) in Store.Scan("pods", string.Empty))
        {
            var node = BodyDecoder.Str(pod["spec"]?["nodeName"]);
            if (string.IsNullOrEmpty(node) || Store.Get("nodes", node) is not null)
            {
                continue;
            }

            seen.Add(node);
            if (!_missingNodes.TryGetValue(node, out var since))
            {
                _missingNodes[node] = now;
                continue;
            }

            if (now - since >= _state.Options.PodGcQuarantine)
            {
                PodRemoval.RemoveNow(Store, "pods", key, pod, _state.NowText());
                changed = true;
            }
        }

        foreach (var gone in _missingNodes.Keys.Where(n => !seen.Contains(n)).ToList())
        {
            _missingNodes.Remove(gone);
        }

        return changed;
    }

    private static IEnumerable<JsonObject> Conditions(JsonObject obj) =>
        (obj["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>() ?? [];
}
