namespace DesktopOperator.Api.Crds;

/// <summary>
/// The schema of <c>metav1.Condition</c>, as controller-gen writes it, except that only type and status are
/// required and reason may be empty: <see cref="k8s.Models.V1Condition"/> has lastTransitionTime as a non-null
/// field and callers may leave reason and message empty, and a status write must never fail on that.
/// </summary>
internal static class ConditionSchema
{
    public static SortedDictionary<string, object?> Create()
    {
        var properties = SchemaGenerator.Node();
        properties["type"] = Field("string", "Type of condition in CamelCase, e.g. Ready.", ("maxLength", 316),
            ("pattern", @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"));
        var status = Field("string", "True, False or Unknown.");
        status["enum"] = new List<object?> { "True", "False", "Unknown" };
        properties["status"] = status;
        properties["observedGeneration"] = Field("integer", "The metadata.generation the condition was set from.",
            ("format", "int64"), ("minimum", 0L));
        properties["lastTransitionTime"] = Field("string", "When the status last changed.", ("format", "date-time"));
        properties["reason"] = Field("string", "CamelCase reason for the last transition.", ("maxLength", 1024));
        properties["message"] = Field("string", "Human-readable details about the transition.", ("maxLength", 32768));

        var node = SchemaGenerator.Node();
        node["type"] = "object";
        node["properties"] = properties;
        node["required"] = new List<object?> { "status", "type" };
        return node;
    }

    private static SortedDictionary<string, object?> Field(string type, string description, params (string Key, object Value)[] extra)
    {
        var node = SchemaGenerator.Node();
        node["type"] = type;
        node["description"] = description;
        foreach (var (key, value) in extra)
        {
            node[key] = value;
        }

        return node;
    }
}
