namespace DesktopOperator.Api.Yaml;

/// <summary>A manifest that cannot be read: where (source, 1-based line and column) and why.</summary>
public sealed class ResourceYamlException : Exception
{
    public ResourceYamlException()
    {
    }

    public ResourceYamlException(string message)
        : base(message)
    {
    }

    public ResourceYamlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ResourceYamlException(string sourceName, long line, long column, string reason, Exception? innerException = null)
        : base($"{sourceName}:{line}:{column}: {reason}", innerException)
    {
        SourceName = sourceName;
        Line = line;
        Column = column;
        Reason = reason;
    }

    public string SourceName { get; } = "";

    public long Line { get; }

    public long Column { get; }

    /// <summary>The message without the location.</summary>
    public string Reason { get; } = "";
}
