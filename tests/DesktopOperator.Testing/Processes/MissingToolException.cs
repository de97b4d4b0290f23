namespace DesktopOperator.Testing.Processes;

/// <summary>A fixture needs an external tool that is not installed on this machine.</summary>
public sealed class MissingToolException : Exception
{
    public MissingToolException()
    {
    }

    public MissingToolException(string message)
        : base(message)
    {
    }

    public MissingToolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MissingToolException(string tool, string message)
        : base(message) => Tool = tool;

    public string? Tool { get; }
}
