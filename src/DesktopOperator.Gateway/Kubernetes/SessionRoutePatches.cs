using System.Text.Json;
using System.Text.Json.Nodes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Kube.Client;
using k8s.Models;

namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>
/// The JSON merge patches the gateway writes SessionRoutes with. Pure. Each names only the fields the gateway owns and
/// carries <c>metadata.resourceVersion</c>, which the API server treats as a precondition (409 when the object moved
/// on). Patches rather than PUTs of an object read through the model: fields the model lacks (a newer server's, or
/// another writer's labels, owner references, conditions) are never dropped.
/// </summary>
internal static class SessionRoutePatches
{
    /// <summary><c>spec.host</c>: the pinned host, or null to unpin.</summary>
    public static V1Patch Spec(string resourceVersion, RouteRecord route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var body = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["spec"] = new JsonObject { ["host"] = route.Pinned ? route.Host : null },
        };
        return new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch);
    }

    /// <summary>
    /// The gateway's part of <c>status</c> (phase, host held, bound-at, last-seen, connections, and the host's uid when the
    /// gateway knows it) for the <c>/status</c> subresource. The host's address, and its uid when the gateway does not know
    /// the new one, are removed when the host changes (the controller writes the new ones);
    /// conditions and observedGeneration are the controller's and left alone.
    /// </summary>
    public static V1Patch Status(string resourceVersion, RouteRecord route, SessionRouteStatus? current)
    {
        ArgumentNullException.ThrowIfNull(route);
        var status = new JsonObject
        {
            ["phase"] = Node(route.Phase),
            ["host"] = route.HeldOrHost,
            ["boundAt"] = Node(route.BoundAt),
            ["lastSeen"] = Node(route.LastSeen),
            ["activeConnections"] = route.ActiveConnections,
        };
        if (current?.HostAddress is not null && current.Host != route.HeldOrHost)
        {
            status["hostAddress"] = null;
        }

        if (route.HostUid is { } uid ? uid != current?.HostUid : current?.HostUid is not null && current.Host != route.HeldOrHost)
        {
            status["hostUid"] = route.HostUid;
        }

        var body = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["status"] = status,
        };
        return new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch);
    }

    /// <summary>Whether <paramref name="server"/>'s spec already says what <paramref name="route"/> needs.</summary>
    public static bool SpecMatches(SessionRoute server, RouteRecord route)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(route);
        return server.Spec.Host == (route.Pinned ? route.Host : null);
    }

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, KubeJson.Options);
}
