using DesktopOperator.Testing.ApiServer;

namespace DesktopOperator.Api.Tests.Chart;

/// <summary>What RBAC sees of a request the test API server recorded: verb, group, resource[/subresource], namespace, name.</summary>
internal static class ApiRequests
{
    /// <summary>Null for non-resource paths (discovery, /version), which every authenticated user may read.</summary>
    public static ApiRequest? From(RecordedRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        string group;
        string[] rest;
        if (segments[0] == "api" && segments.Length >= 3)
        {
            (group, rest) = (string.Empty, segments[2..]);
        }
        else if (segments[0] == "apis" && segments.Length >= 4)
        {
            (group, rest) = (segments[1], segments[3..]);
        }
        else
        {
            return null;
        }

        string? ns = null;
        if (rest[0] == "namespaces" && rest.Length >= 3)
        {
            (ns, rest) = (rest[1], rest[2..]);
        }

        var name = rest.Length > 1 ? rest[1] : null;
        var resource = rest.Length > 2 ? $"{rest[0]}/{rest[2]}" : rest[0];
        var verb = request.Method switch
        {
            "GET" when name is not null => "get",
            "GET" => request.IsWatch ? "watch" : "list",
            "POST" => "create",
            "PATCH" => "patch",
            "PUT" => "update",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => request.Method,
        };
        return new ApiRequest(verb, group, resource, ns, name);
    }
}
