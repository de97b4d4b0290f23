using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>Turns a request body into an object the way the real decoder does, with its 400/415/422 answers.</summary>
internal static partial class BodyDecoder
{
    public static JsonObject DecodeObject(byte[] body, string? contentType, ResourceType type, string? urlNamespace)
    {
        var media = MediaType(contentType);
        if (media is not ("application/json" or "application/yaml" or ""))
        {
            throw StatusBodies.UnsupportedMediaType("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf");
        }

        var text = Encoding.UTF8.GetString(body);
        JsonNode? node;
        try
        {
            node = media == "application/yaml" ? ManifestJson.Parse(text) : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            var shown = text.Length > 30 ? text[..30] + " ..." : text;
            throw StatusBodies.BadRequest($"the object provided is unrecognized (must be of type {type.Kind}): couldn't get version/kind; json parse error: unexpected end of JSON input ({shown})");
        }

        if (node is not JsonObject obj)
        {
            throw StatusBodies.BadRequest($"the object provided is unrecognized (must be of type {type.Kind})");
        }

        var apiVersion = (obj["apiVersion"] as JsonValue)?.GetValue<string>();
        var kind = (obj["kind"] as JsonValue)?.GetValue<string>();
        if (string.IsNullOrEmpty(kind))
        {
            throw StatusBodies.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: Object 'Kind' is missing in '{text}'");
        }

        if (apiVersion != type.ApiVersion)
        {
            throw StatusBodies.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})");
        }

        if (obj["metadata"] is not JsonObject meta)
        {
            meta = new JsonObject();
            obj["metadata"] = meta;
        }

        if (kind != type.Kind)
        {
            var group = type.Group.Length == 0 ? string.Empty : "." + type.Group;
            // The real server still validates the body against the schema (without defaults, which apply per kind).
            var causes = new List<FieldCause> { new("FieldValueInvalid", $"Invalid value: \"{kind}\": must be {type.Kind}", "kind") };
            if (type.Schema is { } schema)
            {
                causes.AddRange(Schema.StructuralSchemaValidator.Validate(obj, schema).Select(e => new FieldCause(e.Type, e.Message, e.Field)));
            }

            throw StatusBodies.Invalid($"{kind}{group}", type.Group, kind, Str(meta["name"]) ?? string.Empty, causes);
        }

        var bodyNs = Str(meta["namespace"]);
        if (type.Namespaced && !string.IsNullOrEmpty(bodyNs) && urlNamespace is not null && bodyNs != urlNamespace)
        {
            throw StatusBodies.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        CheckMicroTimes(obj, type);
        return obj;
    }

    public static string MediaType(string? contentType) =>
        (contentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();

    public static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>MicroTime fields (Lease times, Event eventTime) need exactly six fractional digits, as Go parses them.</summary>
    private static void CheckMicroTimes(JsonObject obj, ResourceType type)
    {
        IEnumerable<JsonNode?> fields = type.Kind switch
        {
            "Lease" => [obj["spec"]?["renewTime"], obj["spec"]?["acquireTime"]],
            "Event" => [obj["eventTime"]],
            _ => [],
        };
        foreach (var f in fields)
        {
            if (Str(f) is not { } value)
            {
                continue;
            }

            if (!MicroTime().IsMatch(value))
            {
                var what = RfcSeconds().IsMatch(value) ? "cannot parse \"Z\" as \".000000\"" : $"cannot parse \"{value}\" as \"2006\"";
                throw StatusBodies.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: parsing time \"{value}\" as \"2006-01-02T15:04:05.000000Z07:00\": {what}");
            }
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d)$")]
    private static partial Regex MicroTime();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")]
    private static partial Regex RfcSeconds();
}
