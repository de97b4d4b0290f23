using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>Server-side defaults of the built-in kinds, as 1.24 fills them on create.</summary>
internal static class KindDefaults
{
    public static void OnCreate(ResourceType type, JsonObject obj)
    {
        var meta = obj["metadata"]!.AsObject();
        switch (type.Kind)
        {
            case "Namespace":
                var labels = meta["labels"] as JsonObject ?? [];
                labels["kubernetes.io/metadata.name"] = meta["name"]!.GetValue<string>();
                meta["labels"] = labels;
                obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case "CustomResourceDefinition":
                obj["spec"]!["conversion"] ??= new JsonObject { ["strategy"] = "None" };
                CrdSchemaFields.Prune(obj);
                break;
            case "Pod":
                Pod(obj);
                break;
            case "Node":
                Node(obj);
                break;
            case "PodDisruptionBudget":
                obj["status"] = new JsonObject { ["disruptionsAllowed"] = 0, ["currentHealthy"] = 0, ["desiredHealthy"] = 0, ["expectedPods"] = 0 };
                break;
            case "Service":
                var spec = obj["spec"] as JsonObject ?? [];
                spec["type"] ??= "ClusterIP";
                spec["sessionAffinity"] ??= "None";
                obj["spec"] = spec;
                obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                break;
            case "Event" when type.Group.Length == 0:
                obj["source"] ??= new JsonObject();
                obj["firstTimestamp"] ??= null;
                obj["lastTimestamp"] ??= null;
                obj["eventTime"] ??= null;
                obj["reportingComponent"] ??= string.Empty;
                obj["reportingInstance"] ??= string.Empty;
                break;
        }
    }

    private static void Pod(JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        obj["spec"] = spec;
        foreach (var c in (spec["containers"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            c["resources"] ??= new JsonObject();
            c["terminationMessagePath"] ??= "/dev/termination-log";
            c["terminationMessagePolicy"] ??= "File";
            var image = c["image"]?.GetValue<string>() ?? string.Empty;
            c["imagePullPolicy"] ??= image.EndsWith(":latest", StringComparison.Ordinal) || !image.Contains(':', StringComparison.Ordinal) ? "Always" : "IfNotPresent";
        }

        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["serviceAccountName"] ??= "default";
        spec["serviceAccount"] ??= spec["serviceAccountName"]!.GetValue<string>();
        spec["securityContext"] ??= new JsonObject();
        spec["schedulerName"] ??= "default-scheduler";
        if (spec["tolerations"] is null)
        {
            spec["tolerations"] = new JsonArray(
                Toleration("node.kubernetes.io/not-ready"),
                Toleration("node.kubernetes.io/unreachable"));
        }

        spec["priority"] ??= 0;
        spec["enableServiceLinks"] ??= true;
        spec["preemptionPolicy"] ??= "PreemptLowerPriority";
        obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
    }

    /// <summary>A new Node is tainted not-ready (node lifecycle controller lifts it) and gets empty daemon endpoints and nodeInfo.</summary>
    private static void Node(JsonObject obj)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        obj["spec"] = spec;
        if (spec["taints"] is null)
        {
            spec["taints"] = new JsonArray(new JsonObject { ["key"] = "node.kubernetes.io/not-ready", ["effect"] = "NoSchedule" });
        }

        var status = obj["status"] as JsonObject ?? [];
        obj["status"] = status;
        status["daemonEndpoints"] ??= new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 0 } };
        var info = status["nodeInfo"] as JsonObject ?? [];
        status["nodeInfo"] = info;
        foreach (var field in new[] { "machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion", "kubeletVersion", "kubeProxyVersion", "operatingSystem", "architecture" })
        {
            info[field] ??= string.Empty;
        }
    }

    private static JsonObject Toleration(string key) => new()
    {
        ["key"] = key,
        ["operator"] = "Exists",
        ["effect"] = "NoExecute",
        ["tolerationSeconds"] = 300,
    };
}
