using System.Globalization;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.Kubelet;

/// <summary>
/// The pod statuses a kubelet posts (pure): Running with its conditions and container statuses (so that
/// <c>kubectl get pods</c> shows READY 1/1 and STATUS Running), and terminal ones.
/// </summary>
internal static class PodStatuses
{
    /// <summary>Running at <paramref name="ip"/>; Ready and ContainersReady as <paramref name="ready"/> says.</summary>
    public static JsonObject Running(JsonObject pod, string ip, bool ready, string startTime, string now)
    {
        var readyText = ready ? "True" : "False";
        JsonObject Condition(string type, string status) => new()
        {
            ["type"] = type,
            ["status"] = status,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = now,
        };
        var notReady = ready ? null : "ContainersNotReady";
        var readyCondition = Condition("Ready", readyText);
        var containersReady = Condition("ContainersReady", readyText);
        if (notReady is not null)
        {
            readyCondition["reason"] = notReady;
            containersReady["reason"] = notReady;
        }

        var containers = new JsonArray();
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = container["name"]?.GetValue<string>() ?? "container";
            containers.Add(new JsonObject
            {
                ["name"] = name,
                ["ready"] = ready,
                ["started"] = true,
                ["restartCount"] = 0,
                ["image"] = container["image"]?.DeepClone(),
                ["imageID"] = string.Empty,
                ["containerID"] = $"sim://{pod["metadata"]?["uid"]}/{name}",
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = startTime } },
            });
        }

        return new JsonObject
        {
            ["phase"] = "Running",
            ["hostIP"] = "127.0.0.1",
            ["podIP"] = ip,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip }),
            ["startTime"] = startTime,
            ["conditions"] = new JsonArray(Condition("Initialized", "True"), readyCondition, containersReady, Condition("PodScheduled", "True")),
            ["containerStatuses"] = containers,
        };
    }

    /// <summary>A terminal phase (Failed, Succeeded) with a reason; not Ready any more.</summary>
    public static JsonObject Terminal(string phase, string reason, string message, string now) => new()
    {
        ["phase"] = phase,
        ["reason"] = reason,
        ["message"] = message,
        ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "False", ["lastProbeTime"] = null, ["lastTransitionTime"] = now, ["reason"] = "PodFailed" }),
    };

    /// <summary>
    /// The port a kubelet's readiness probe would connect to: the first container's <c>readinessProbe.tcpSocket.port</c>
    /// (a number, or the name of one of that container's ports), else the first <c>containerPort</c> of any container;
    /// null when the pod declares neither (then it is Ready as soon as it runs, as a pod without a readiness probe).
    /// </summary>
    public static int? ProbePort(JsonObject pod)
    {
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        foreach (var container in containers)
        {
            switch (container["readinessProbe"]?["tcpSocket"]?["port"])
            {
                case JsonValue value when value.TryGetValue<int>(out var number):
                    return number;
                case JsonValue value when value.TryGetValue<string>(out var text):
                    if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                    {
                        return parsed;
                    }

                    var named = Ports(container).FirstOrDefault(p => p["name"]?.GetValue<string>() == text);
                    if (named?["containerPort"]?.GetValue<int>() is { } port)
                    {
                        return port;
                    }

                    break;
            }
        }

        return containers.SelectMany(Ports).Select(p => p["containerPort"]?.GetValue<int>()).FirstOrDefault(p => p is not null);
    }

    private static IEnumerable<JsonObject> Ports(JsonObject container) => (container["ports"] as JsonArray ?? []).OfType<JsonObject>();
}
