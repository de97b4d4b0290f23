using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// Builds <c>Status</c> bodies shaped exactly as kube-apiserver 1.24 sends them (key order included): 404/409 name
/// the plural resource, 422 and DELETE preconditions name the Kind.
/// </summary>
internal static class StatusBodies
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject Details(string? name, string group, string kind)
    {
        var d = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            d["name"] = name;
        }

        if (!string.IsNullOrEmpty(group))
        {
            d["group"] = group;
        }

        d["kind"] = kind;
        return d;
    }

    public static ApiError NotFound(ResourceType type, string name) =>
        new(404, Failure(404, "NotFound", $"{type.QualifiedResource} \"{name}\" not found", Details(name, type.Group, type.Plural)));

    public static ApiError AlreadyExists(ResourceType type, string name) =>
        new(409, Failure(409, "AlreadyExists", $"{type.QualifiedResource} \"{name}\" already exists", Details(name, type.Group, type.Plural)));

    public static ApiError Conflict(ResourceType type, string name) => ConflictMessage(
        type, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiError ConflictMessage(ResourceType type, string name, string why) =>
        new(409, Failure(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": {why}", Details(name, type.Group, type.Plural)));

    public static ApiError PreconditionConflict(ResourceType type, string name, string why) =>
        new(409, Failure(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedKind} \"{name}\": {why}", Details(name, type.Group, type.Kind)));

    public static ApiError BadRequest(string message) => new(400, Failure(400, "BadRequest", message, null));

    public static ApiError Forbidden(string message, JsonObject? details = null) => new(403, Failure(403, "Forbidden", message, details));

    public static ApiError UnsupportedMediaType(string message) => new(415, Failure(415, "UnsupportedMediaType", message, null));

    public static ApiError Gone(string message) => new(410, Failure(410, "Expired", message, null));

    public static ApiError MethodNotSupported(ResourceType type, string verb) =>
        new(405, Failure(405, "MethodNotAllowed", $"{verb} is not supported on resources of kind \"{type.QualifiedResource}\"", Details(null, type.Group, type.Plural)));

    /// <summary>422 Invalid: <paramref name="kindText"/> is <c>Widget.example.test</c> (or the plural form for PUT without RV).</summary>
    public static ApiError Invalid(string kindText, string group, string detailsKind, string name, IReadOnlyList<FieldCause> causes)
    {
        var parts = causes.Select(c => $"{c.Field}: {c.Message}").Distinct().ToList();
        var joined = parts.Count == 1 ? parts[0] : "[" + string.Join(", ", parts) + "]";
        var details = Details(name, group, detailsKind);
        var array = new JsonArray();
        foreach (var c in causes)
        {
            array.Add(new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field });
        }

        details["causes"] = array;
        return new ApiError(422, Failure(422, "Invalid", $"{kindText} \"{name}\" is invalid: {joined}", details));
    }

    public static ApiError Invalid(ResourceType type, string name, IReadOnlyList<FieldCause> causes) => type.Group == "events.k8s.io"
        ? Invalid(type.Kind, string.Empty, type.Kind, name, causes) // events.k8s.io validates as the internal core Event
        : Invalid(type.QualifiedKind, type.Group, type.Kind, name, causes);

    public static JsonObject Success(ResourceType type, string name, string uid)
    {
        var details = Details(name, type.Group, type.Plural);
        details["uid"] = uid;
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }
}
