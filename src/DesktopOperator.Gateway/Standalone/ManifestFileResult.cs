namespace DesktopOperator.Gateway.Standalone;

/// <summary>
/// What loading one manifest file gave: its resources, or the reasons it cannot be used, each already in the form
/// <c>field: why</c> (the folder prefixes the file name).
/// </summary>
internal sealed record ManifestFileResult<T>(IReadOnlyList<T> Resources, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;

    public static ManifestFileResult<T> Valid(IReadOnlyList<T> resources) => new(resources, []);

    public static ManifestFileResult<T> Invalid(params string[] errors) => new([], errors);
}
