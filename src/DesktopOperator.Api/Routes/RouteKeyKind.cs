using DesktopOperator.Api.V1Alpha1;
using k8s.Models;

namespace DesktopOperator.Api.Routes;

/// <summary>
/// What a SessionRoute's <c>spec.user</c> is: a user name or a client address. The API has no field for it; it travels
/// in the <see cref="Annotation"/>, set by the gateway on the routes it creates (User when absent or unknown, as for a
/// route a person created).
/// </summary>
public static class RouteKeyKind
{
    public const string Annotation = ApiGroup.Group + "/affinity-key";

    public static AffinityKey Of(V1ObjectMeta metadata) =>
        metadata?.Annotations?.TryGetValue(Annotation, out var value) == true
        && Enum.TryParse<AffinityKey>(value, ignoreCase: false, out var kind) && Enum.IsDefined(kind)
            ? kind
            : AffinityKey.User;
}
