using System.Globalization;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.Schema;

/// <summary>
/// Reads numbers from any JsonValue (parsed, or created from int/long/double, which GetValue&lt;T&gt; treats as
/// different types) through their JSON text.
/// </summary>
public static class JsonNumbers
{
    public static long ToInt64(JsonNode node) => (long)ToDouble(node);

    public static long? ToInt64OrNull(JsonNode? node) => node is null ? null : ToInt64(node);

    public static double ToDouble(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
