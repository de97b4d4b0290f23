using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>
/// <c>metav1.MicroTime</c> fields with exactly six fractional digits. KubernetesClient writes every time as
/// RFC 3339 with the fraction left out when it is zero (<c>2024-01-01T00:00:20Z</c>); the API server parses a
/// MicroTime with Go's layout <c>2006-01-02T15:04:05.000000Z07:00</c> and refuses that with 400 ("cannot parse
/// "Z" as ".000000""), so a Lease renewed at a whole second would fail. Only the MicroTime fields of the kinds we
/// write are changed; metav1.Time fields keep the package's format.
/// </summary>
internal static class MicroTimes
{
    private static readonly HashSet<(Type, string)> Fields =
    [
        (typeof(V1LeaseSpec), nameof(V1LeaseSpec.AcquireTime)),
        (typeof(V1LeaseSpec), nameof(V1LeaseSpec.RenewTime)),
        (typeof(Corev1Event), nameof(Corev1Event.EventTime)),
        (typeof(Corev1EventSeries), nameof(Corev1EventSeries.LastObservedTime)),
        (typeof(Eventsv1Event), nameof(Eventsv1Event.EventTime)),
        (typeof(Eventsv1EventSeries), nameof(Eventsv1EventSeries.LastObservedTime)),
    ];

    private static readonly MicroTimeConverter Converter = new();

    public static void Apply(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            if (property.PropertyType == typeof(DateTime?)
                && property.AttributeProvider is System.Reflection.PropertyInfo info
                && Fields.Contains((type.Type, info.Name)))
            {
                property.CustomConverter = Converter;
            }
        }
    }

    /// <summary>For <c>DateTime?</c>, the type of every MicroTime field in the package's models.</summary>
    private sealed class MicroTimeConverter : JsonConverter<DateTime?>
    {
        private static readonly KubernetesJson.KubernetesDateTimeConverter Package = new();

        public override bool HandleNull => false;

        public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : Package.Read(ref reader, typeof(DateTime), options);

        public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options)
        {
            if (value is { } time)
            {
                writer.WriteStringValue(time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
