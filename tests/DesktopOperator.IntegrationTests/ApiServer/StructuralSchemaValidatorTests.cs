using System.Text.Json.Nodes;
using DesktopOperator.Testing.Schema;

namespace DesktopOperator.IntegrationTests.ApiServer;

public sealed class StructuralSchemaValidatorTests
{
    private static JsonNode Schema() => TranscriptReplayer.WidgetCrd()["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;

    private static JsonObject Widget(string spec) => JsonNode.Parse($$"""{"apiVersion":"example.test/v1","kind":"Widget","metadata":{"name":"w"},"spec":{{spec}}}""")!.AsObject();

    [Fact]
    public void Validate_ValidObject_NoErrors()
    {
        var obj = Widget("""{"size":"small","replicas":3,"code":"ABC-12","tags":["a"]}""");
        StructuralSchemaValidator.ApplyDefaultsAndPrune(obj, Schema());
        Assert.Empty(StructuralSchemaValidator.Validate(obj, Schema()));
    }

    [Fact]
    public void Validate_WrongType_ReportsTypeErrorAndSkipsRules()
    {
        var errors = StructuralSchemaValidator.Validate(Widget("""{"size":"small","replicas":"three"}"""), Schema());
        Assert.Equal(
            [
                new SchemaError("spec.replicas", "FieldValueTypeInvalid", "Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""),
                new SchemaError("<nil>", "FieldValueInvalid", StructuralSchemaValidator.RulesNotChecked),
            ],
            errors);
    }

    [Fact]
    public void Validate_Float_ForInteger_IsTypeError()
    {
        var errors = StructuralSchemaValidator.Validate(Widget("""{"size":"small","replicas":2.5}"""), Schema());
        Assert.Contains(errors, e => e.Message == "Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\"");
    }

    [Theory]
    [InlineData("""{"size":"huge"}""", "spec.size", "FieldValueNotSupported", "Unsupported value: \"huge\": supported values: \"small\", \"medium\", \"large\"")]
    [InlineData("""{"size":"small","replicas":11}""", "spec.replicas", "FieldValueInvalid", "Invalid value: 11: spec.replicas in body should be less than or equal to 10")]
    [InlineData("""{"size":"small","replicas":-1}""", "spec.replicas", "FieldValueInvalid", "Invalid value: -1: spec.replicas in body should be greater than or equal to 0")]
    [InlineData("""{"size":"small","code":"abc"}""", "spec.code", "FieldValueInvalid", "Invalid value: \"abc\": spec.code in body should match '^[A-Z]{3}-[0-9]{1,4}$'")]
    [InlineData("""{"replicas":1}""", "spec.size", "FieldValueRequired", "Required value")]
    public void Validate_Violation_ReportsLikeTheApiServer(string spec, string field, string type, string message)
    {
        var obj = Widget(spec);
        StructuralSchemaValidator.ApplyDefaultsAndPrune(obj, Schema());
        Assert.Contains(new SchemaError(field, type, message), StructuralSchemaValidator.Validate(obj, Schema()));
    }

    [Fact]
    public void Validate_CelRuleViolatedAfterDefaults_ReportsOnSpec()
    {
        var obj = Widget("""{"size":"small","minReplicas":6}""");
        StructuralSchemaValidator.ApplyDefaultsAndPrune(obj, Schema());
        Assert.Equal([new SchemaError("spec", "FieldValueInvalid", "Invalid value: \"object\": minReplicas must be <= maxReplicas")], StructuralSchemaValidator.Validate(obj, Schema()));
    }

    [Fact]
    public void ApplyDefaultsAndPrune_UnknownFields_PrunedAndDefaultsFilled()
    {
        var obj = Widget("""{"size":"small","unknownField":"x"}""");
        obj["extraTopLevel"] = "y";
        StructuralSchemaValidator.ApplyDefaultsAndPrune(obj, Schema());
        Assert.Equal("""{"size":"small","color":"blue","minReplicas":1,"maxReplicas":5}""", obj["spec"]!.ToJsonString());
        Assert.False(obj.ContainsKey("extraTopLevel"));
        Assert.Equal("w", obj["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void ApplyDefaultsAndPrune_PreserveUnknownFields_KeepsThem()
    {
        var schema = JsonNode.Parse("""{"type":"object","properties":{"spec":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}""")!;
        var obj = Widget("""{"anything":{"goes":1}}""");
        StructuralSchemaValidator.ApplyDefaultsAndPrune(obj, schema);
        Assert.Equal(1, obj["spec"]!["anything"]!["goes"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("self.a <= self.b", """{"a":1,"b":2}""", true)]
    [InlineData("self.a <= self.b", """{"a":3,"b":2}""", false)]
    [InlineData("!has(self.a) || self.a > 0", """{}""", true)]
    [InlineData("size(self.name) <= 5 && self.kind == 'x'", """{"name":"abc","kind":"x"}""", true)]
    public void CelLite_SupportedRules_Evaluate(string rule, string self, bool expected)
    {
        Assert.Equal(expected, CelLite.Evaluate(rule, JsonNode.Parse(self)).Value);
    }

    [Fact]
    public void CelLite_MissingKey_ReportsNoSuchKey()
    {
        Assert.Equal("no such key: minReplicas", CelLite.Evaluate("self.minReplicas <= self.maxReplicas", JsonNode.Parse("{}")).Error);
    }
}
