namespace DesktopOperator.Api.Schema;

/// <summary>A column of <c>kubectl get</c> (<c>additionalPrinterColumns</c>). Columns are emitted by <see cref="Order"/>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(int order, string name, string type, string jsonPath) : Attribute
{
    public int Order { get; } = order;

    public string Name { get; } = name;

    /// <summary>OpenAPI type: <c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c> or <c>date</c>.</summary>
    public string Type { get; } = type;

    public string JsonPath { get; } = jsonPath;

    public string Description { get; init; } = "";

    /// <summary>0 shows the column always; 1 only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }
}
