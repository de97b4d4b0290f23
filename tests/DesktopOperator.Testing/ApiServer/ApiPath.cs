namespace DesktopOperator.Testing.ApiServer;

/// <summary>A parsed resource URL: <c>/api/v1/...</c> or <c>/apis/{group}/{version}/...</c>, with the legacy <c>/watch/</c> prefix.</summary>
internal sealed record ApiPath(ResourceType Type, string? Namespace, string? Name, string? Subresource, bool LegacyWatch)
{
    /// <summary>Null when the path is not a resource path (discovery or unknown); throws for unknown resources.</summary>
    public static ApiPath? Parse(string path, ResourceRegistry registry)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group;
        string version;
        int rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = (string.Empty, segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        if (!registry.HasGroupVersion(group, version))
        {
            throw ApiError.PageNotFound();
        }

        var r = segments[rest..];
        var legacyWatch = r.Length > 0 && r[0] == "watch";
        if (legacyWatch)
        {
            r = r[1..];
        }

        string? ns = null;
        if (r.Length >= 3 && r[0] == "namespaces" && registry.Find(group, version, r[2]) is { Namespaced: true })
        {
            ns = r[1];
            r = r[2..];
        }

        if (r.Length is 0 or > 3)
        {
            throw ApiError.PageNotFound();
        }

        var type = registry.Find(group, version, r[0]) ?? throw UnknownResource(group);
        if (type.Namespaced && ns is null && r.Length > 1)
        {
            throw ApiError.PageNotFound();
        }

        var sub = r.Length == 3 ? r[2] : null;
        if (sub is not null && !(sub == "status" && type.HasStatus) && !(sub == "finalize" && type.Kind == "Namespace") && !(sub is "binding" or "eviction" && type.Kind == "Pod" && type.Group.Length == 0))
        {
            throw UnknownResource(group);
        }

        return new ApiPath(type, ns, r.Length > 1 ? r[1] : null, sub, legacyWatch);
    }

    private static ApiError UnknownResource(string group) => group.Length == 0
        ? new ApiError(404, StatusBodies.Failure(404, "NotFound", "the server could not find the requested resource", []))
        : ApiError.PageNotFound();
}
