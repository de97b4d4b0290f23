using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>Converts between the stored core/v1 Event and the events.k8s.io/v1 view (they share storage).</summary>
internal static class EventConversion
{
    private static readonly (string Core, string Events)[] Renames =
    [
        ("involvedObject", "regarding"),
        ("message", "note"),
        ("source", "deprecatedSource"),
        ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"),
        ("count", "deprecatedCount"),
        ("reportingComponent", "reportingController"),
        ("related", "related"),
    ];

    public static JsonObject ToEventsV1(JsonObject core)
    {
        var result = new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = "events.k8s.io/v1",
            ["metadata"] = core["metadata"]?.DeepClone(),
        };
        foreach (var (key, value) in core)
        {
            if (key is "kind" or "apiVersion" or "metadata")
            {
                continue;
            }

            var renamed = Renames.FirstOrDefault(r => r.Core == key).Events ?? key;
            if (key is "reportingComponent" or "reportingInstance" && value is JsonValue v && v.GetValue<string>().Length == 0)
            {
                continue;
            }

            result[renamed] = value?.DeepClone();
        }

        return result;
    }

    public static JsonObject ToCore(JsonObject events)
    {
        var result = new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = "v1",
            ["metadata"] = events["metadata"]?.DeepClone(),
        };
        foreach (var (key, value) in events)
        {
            if (key is "kind" or "apiVersion" or "metadata")
            {
                continue;
            }

            var renamed = Renames.FirstOrDefault(r => r.Events == key).Core ?? key;
            result[renamed] = value?.DeepClone();
        }

        result["source"] ??= new JsonObject();
        result["firstTimestamp"] ??= null;
        result["lastTimestamp"] ??= null;
        result["reportingComponent"] ??= string.Empty;
        result["reportingInstance"] ??= string.Empty;
        return result;
    }
}
