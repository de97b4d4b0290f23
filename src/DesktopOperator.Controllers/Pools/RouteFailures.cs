using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Objects;
using k8s.Models;

namespace DesktopOperator.Controllers.Pools;

/// <summary>Marks a route Failed (its host is gone) through /status, so the gateway binds the user anew.</summary>
internal static class RouteFailures
{
    public static async Task MarkFailedAsync(IKubernetesClient client, SessionRoute route, string why, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(route);
        var status = new SessionRouteStatus
        {
            Phase = SessionRoutePhase.Failed,
            Host = route.Status?.Host,
            HostAddress = route.Status?.HostAddress,
            BoundAt = route.Status?.BoundAt,
            LastSeen = route.Status?.LastSeen,
            ObservedGeneration = route.Status?.ObservedGeneration,
            Conditions = [.. (route.Status?.Conditions ?? []).Where(c => c.Type != ConditionTypes.Ready)],
        };
        Conditions.Set(status.Conditions, new V1Condition { Type = ConditionTypes.Ready, Status = Conditions.False, Reason = ConditionReasons.HostGone, Message = why }, now);
        var body = $"{{\"status\":{KubeJson.Serialize(status)}}}";
        try
        {
            await client.PatchAsync<SessionRoute>(route.Metadata.Name, route.Metadata.NamespaceProperty, new V1Patch(body, V1Patch.PatchType.MergePatch), null, "status", cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            // The route ended meanwhile: nothing to mark.
        }
    }
}
