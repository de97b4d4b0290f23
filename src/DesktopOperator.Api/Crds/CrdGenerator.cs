using System.Reflection;
using DesktopOperator.Api.Schema;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Api.Crds;

/// <summary>
/// Generates the CustomResourceDefinitions of our kinds from the C# types: the plain YAML for <c>crds/</c> and the
/// chart's templated copies. Output is a pure function of the types and their doc comments.
/// </summary>
internal static class CrdGenerator
{
    public const string RegenerateCommand =
        "dotnet run --project src/DesktopOperator -- crds --output crds --chart charts/desktop-operator";

    public static IReadOnlyList<Type> EntityTypes { get; } = [typeof(DesktopPool), typeof(SessionRoute)];

    /// <summary>One file per kind for <c>crds/</c>: <c>&lt;group&gt;_&lt;plural&gt;.yaml</c>.</summary>
    public static IReadOnlyList<GeneratedFile> GenerateCrds()
    {
        var generator = new SchemaGenerator(XmlDocumentation.For(typeof(DesktopPool).Assembly));
        return EntityTypes.Select(type =>
        {
            var entity = Entity(type);
            var yaml = YamlEmitter.Write(Crd(type, entity, generator));
            return new GeneratedFile($"{entity.Group}_{entity.PluralName}.yaml", Header + yaml);
        }).ToList();
    }

    /// <summary>
    /// The chart's copies, <c>templates/crd-&lt;group&gt;_&lt;plural&gt;.yaml</c>: the same CRDs, rendered only with
    /// <c>crds.enabled</c>, and annotated <c>helm.sh/resource-policy: keep</c> with <c>crds.keep</c> (STYLE.md
    /// section 8: templates, not the chart's crds/ folder, so that helm upgrade upgrades them).
    /// </summary>
    public static IReadOnlyList<GeneratedFile> GenerateChartTemplates() =>
        GenerateCrds().Select(file =>
        {
            var body = file.Content[Header.Length..];
            if (body.Contains("{{", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{file.RelativePath} contains '{{{{', which Helm would read as a template action.");
            }

            const string Metadata = "\nmetadata:\n";
            var at = body.IndexOf(Metadata, StringComparison.Ordinal) + Metadata.Length;
            var templated =
                "{{- if .Values.crds.enabled }}\n" + ChartHeader + body[..at] +
                "  {{- if .Values.crds.keep }}\n  annotations:\n    helm.sh/resource-policy: keep\n  {{- end }}\n" +
                body[at..] + "{{- end }}\n";
            return new GeneratedFile(Path.Combine("templates", "crd-" + file.RelativePath), templated);
        }).ToList();

    private const string Header =
        "# Generated from the C# types in src/DesktopOperator.Api by `desktop-operator crds`; do not edit by hand.\n";

    private const string ChartHeader =
        "# Generated from the C# types in src/DesktopOperator.Api by `desktop-operator crds --chart`; do not edit by hand.\n";

    /// <summary>TSpec of ISpec&lt;TSpec&gt; (or TStatus of IStatus&lt;TStatus&gt;) that <paramref name="type"/> implements.</summary>
    private static Type GenericArgumentOf(Type type, Type openInterface) =>
        type.GetInterfaces().SingleOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == openInterface)?.GetGenericArguments()[0]
        ?? throw new InvalidOperationException($"{type} does not implement {openInterface.Name}.");

    private static KubernetesEntityAttribute Entity(Type type) =>
        type.GetCustomAttribute<KubernetesEntityAttribute>() ?? throw new InvalidOperationException($"{type} has no [KubernetesEntity].");

    private static SortedDictionary<string, object?> Crd(Type type, KubernetesEntityAttribute entity, SchemaGenerator generator)
    {
        var names = type.GetCustomAttribute<ResourceNamesAttribute>()
            ?? throw new InvalidOperationException($"{type} has no [ResourceNames].");
        var specType = GenericArgumentOf(type, typeof(ISpec<>));
        var statusType = GenericArgumentOf(type, typeof(IStatus<>));

        var namesNode = SchemaGenerator.Node();
        namesNode["kind"] = entity.Kind;
        namesNode["listKind"] = entity.Kind + "List";
        namesNode["plural"] = entity.PluralName;
        namesNode["singular"] = names.Singular;
        namesNode["shortNames"] = new List<object?> { names.ShortName };
        namesNode["categories"] = new List<object?> { names.Category };

        var properties = SchemaGenerator.Node();
        properties["apiVersion"] = Described("string", "The versioned schema of this representation of an object.");
        properties["kind"] = Described("string", "The REST resource this object represents, in CamelCase.");
        // Only `type: object`: a real API server refuses anything else on the root metadata (even a description).
        var metadataNode = SchemaGenerator.Node();
        metadataNode["type"] = "object";
        properties["metadata"] = metadataNode;
        properties["spec"] = generator.ForObject(specType, withDefaults: true);
        properties["status"] = generator.ForObject(statusType, withDefaults: false);
        ((IDictionary<string, object?>)properties["spec"]!)["description"] = Doc(generator, specType);
        ((IDictionary<string, object?>)properties["status"]!)["description"] = Doc(generator, statusType);

        var root = SchemaGenerator.Node();
        root["type"] = "object";
        root["description"] = Doc(generator, type);
        root["properties"] = properties;
        root["required"] = new List<object?> { "spec" };
        var schema = SchemaGenerator.Node();
        schema["openAPIV3Schema"] = root;

        var subresources = SchemaGenerator.Node();
        subresources["status"] = SchemaGenerator.Node();

        var version = SchemaGenerator.Node();
        version["name"] = entity.ApiVersion;
        version["served"] = true;
        version["storage"] = true;
        version["schema"] = schema;
        version["subresources"] = subresources;
        version["additionalPrinterColumns"] = PrinterColumns(type);

        var spec = SchemaGenerator.Node();
        spec["group"] = entity.Group;
        spec["names"] = namesNode;
        spec["scope"] = Entities.IsNamespaced(entity) ? "Namespaced" : "Cluster";
        spec["versions"] = new List<object?> { version };

        var metadata = SchemaGenerator.Node();
        metadata["name"] = $"{entity.PluralName}.{entity.Group}";

        var crd = SchemaGenerator.Node();
        crd["apiVersion"] = "apiextensions.k8s.io/v1";
        crd["kind"] = "CustomResourceDefinition";
        crd["metadata"] = metadata;
        crd["spec"] = spec;
        return crd;
    }

    private static string Doc(SchemaGenerator generator, Type type) =>
        generator.Docs.Type(type) ?? throw new InvalidOperationException($"{type} has no <summary> doc comment.");

    private static List<object?> PrinterColumns(Type type) =>
        type.GetCustomAttributes<PrinterColumnAttribute>().OrderBy(c => c.Order).Select(c =>
        {
            var column = SchemaGenerator.Node();
            column["name"] = c.Name;
            column["type"] = c.Type;
            column["jsonPath"] = c.JsonPath;
            if (c.Description.Length > 0)
            {
                column["description"] = c.Description;
            }

            if (c.Priority != 0)
            {
                column["priority"] = c.Priority;
            }

            return (object?)column;
        }).ToList();

    private static SortedDictionary<string, object?> Described(string type, string description)
    {
        var node = SchemaGenerator.Node();
        node["type"] = type;
        node["description"] = description;
        return node;
    }
}
