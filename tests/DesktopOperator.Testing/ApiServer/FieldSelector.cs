using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// Field selector over the fields a real server indexes for each kind (metadata.name/namespace everywhere, a few
/// pod and event fields). An unsupported field answers 400 "field label not supported".
/// </summary>
internal sealed class FieldSelector
{
    private static readonly Dictionary<string, string[]> Supported = new(StringComparer.Ordinal)
    {
        ["pods"] = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP", "status.nominatedNodeName"],
        ["events"] = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
        ["namespaces"] = ["status.phase"],
    };

    private readonly List<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(List<(string, bool, string)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEmpty => _terms.Count == 0;

    public string? ExactName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    public static FieldSelector Parse(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var (op, at) = part.IndexOf("!=", StringComparison.Ordinal) is var ne and > 0 ? ("!=", ne)
                : part.IndexOf("==", StringComparison.Ordinal) is var ee and > 0 ? ("==", ee)
                : ("=", part.IndexOf('=', StringComparison.Ordinal));
            if (at <= 0)
            {
                throw StatusBodies.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
            }

            var field = part[..at].Trim();
            var value = part[(at + op.Length)..].Trim();
            if (type.Group == "events.k8s.io" && field is not ("metadata.name" or "metadata.namespace"))
            {
                continue; // 1.24 converts events.k8s.io selectors to core field labels and drops the ones it cannot map.
            }

            if (field is not ("metadata.name" or "metadata.namespace")
                && !(type.Group.Length == 0 && Supported.TryGetValue(type.Plural, out var extra) && extra.Contains(field)))
            {
                throw StatusBodies.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field, op != "!=", value));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj) => _terms.All(t => (Read(obj, t.Field) == t.Value) == t.Equal);

    private static string Read(JsonObject obj, string field)
    {
        if (field == "source")
        {
            field = "source.component";
        }

        JsonNode? node = obj;
        foreach (var segment in field.Split('.'))
        {
            node = node is JsonObject o ? o[segment] : null;
        }

        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? string.Empty;
    }
}
