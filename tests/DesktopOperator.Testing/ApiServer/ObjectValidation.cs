using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DesktopOperator.Testing.Schema;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>Validation shared by create and update: names, owner references, finalizers, per-kind rules, CR schema.</summary>
internal static partial class ObjectValidation
{
    private const string Subdomain = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string Label = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public static List<FieldCause> Validate(ResourceType type, JsonObject obj, JsonObject? old)
    {
        var causes = new List<FieldCause>();
        var meta = obj["metadata"]!.AsObject();
        var name = BodyDecoder.Str(meta["name"]) ?? string.Empty;
        if (name.Length == 0)
        {
            causes.Add(new FieldCause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name"));
        }
        else if (type.Kind == "Namespace" ? !DnsLabel().IsMatch(name) || name.Length > 63 : !DnsSubdomain().IsMatch(name) || name.Length > 253)
        {
            causes.Add(new FieldCause("FieldValueInvalid", $"Invalid value: \"{name}\": {(type.Kind == "Namespace" ? Label : Subdomain)}", "metadata.name"));
        }

        OwnerReferences(meta, causes);
        Finalizers(meta, old, causes);
        KindRules(type, obj, causes);
        if (type.Schema is { } schema)
        {
            var structural = causes.Count > 0;
            foreach (var e in StructuralSchemaValidator.Validate(obj, schema))
            {
                if (e.Field == "<nil>" && structural)
                {
                    continue;
                }

                causes.Add(new FieldCause(e.Type, e.Message, e.Field));
            }

            if (structural && causes.Any(c => c.Reason == "FieldValueRequired") && causes.All(c => c.Field != "<nil>"))
            {
                causes.Add(new FieldCause("FieldValueInvalid", StructuralSchemaValidator.RulesNotChecked, "<nil>"));
            }
        }

        return causes;
    }

    private static void OwnerReferences(JsonObject meta, List<FieldCause> causes)
    {
        var refs = (meta["ownerReferences"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var controllers = refs.Where(r => r["controller"]?.GetValue<bool>() == true).ToList();
        if (controllers.Count > 1)
        {
            var shown = string.Join(", ", refs.Select(r =>
                $"v1.OwnerReference{{APIVersion:\"{r["apiVersion"]}\", Kind:\"{r["kind"]}\", Name:\"{r["name"]}\", UID:\"{r["uid"]}\", Controller:{Ptr(r["controller"])}, BlockOwnerDeletion:{Ptr(r["blockOwnerDeletion"])}}}"));
            var names = string.Join(" and ", controllers.Select(c => c["name"]!.GetValue<string>()));
            causes.Add(new FieldCause("FieldValueInvalid",
                $"Invalid value: []v1.OwnerReference{{{shown}}}: Only one reference can have Controller set to true. Found \"true\" in references for {names}",
                "metadata.ownerReferences"));
        }
    }

    private static string Ptr(JsonNode? n) => n is null ? "(*bool)(nil)" : "(*bool)(0xc000a1b2c3)";

    private static void Finalizers(JsonObject meta, JsonObject? old, List<FieldCause> causes)
    {
        if (old?["metadata"]?["deletionTimestamp"] is null)
        {
            return;
        }

        var before = (old["metadata"]!["finalizers"] as JsonArray)?.Select(f => f!.GetValue<string>()).ToHashSet() ?? [];
        var added = (meta["finalizers"] as JsonArray)?.Select(f => f!.GetValue<string>()).Where(f => !before.Contains(f)).ToList() ?? [];
        if (added.Count > 0)
        {
            var list = string.Join(", ", added.Select(a => $"\"{a}\""));
            var message = $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{{list}}}";
            // Reported twice, as 1.24 does (object-meta validation runs for the update twice).
            causes.Add(new FieldCause("FieldValueForbidden", message, "metadata.finalizers"));
            causes.Add(new FieldCause("FieldValueForbidden", message, "metadata.finalizers"));
        }
    }

    private static void KindRules(ResourceType type, JsonObject obj, List<FieldCause> causes)
    {
        switch (type.Kind)
        {
            case "Lease":
                if (obj["spec"]?["leaseDurationSeconds"] is JsonValue duration && JsonNumbers.ToInt64(duration) <= 0)
                {
                    var shown = duration.ToJsonString();
                    causes.Add(new FieldCause("FieldValueInvalid", "Invalid value: " + shown + ": must be greater than 0", "spec.leaseDurationSeconds"));
                }

                break;
            case "CustomResourceDefinition":
                CrdValidation.Validate(obj, causes);
                break;
            case "Event" when type.Group.Length > 0 && obj["eventTime"] is null:
                causes.Add(new FieldCause("FieldValueRequired", "Required value", "eventTime"));
                break;
            case "Event" when type.Group.Length == 0:
                var ns = BodyDecoder.Str(obj["metadata"]!["namespace"]);
                var involved = BodyDecoder.Str(obj["involvedObject"]?["namespace"]);
                if (!string.IsNullOrEmpty(involved) && involved != ns)
                {
                    causes.Add(new FieldCause("FieldValueInvalid", $"Invalid value: \"{involved}\": does not match event.namespace", "involvedObject.namespace"));
                }

                break;
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
