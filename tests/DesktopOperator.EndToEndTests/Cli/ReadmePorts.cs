namespace DesktopOperator.EndToEndTests.Cli;

/// <summary>
/// The README's walk-throughs use fixed ports on 127.0.0.1 (the gateway's 8080 and 5900 in both "Run it" and "Try the
/// operator without a cluster"), and both build the executable with <c>dotnet run</c>: their tests run one at a time.
/// </summary>
[CollectionDefinition(Collection)]
public sealed class ReadmePorts
{
    public const string Collection = "README walk-throughs (fixed ports on 127.0.0.1)";
}
