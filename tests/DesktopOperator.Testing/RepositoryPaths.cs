namespace DesktopOperator.Testing;

/// <summary>The repository the tests run from, found by walking up from the test binaries to <c>Operator.sln</c>.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Operator.sln above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootPath.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The generated CRD files in <c>crds/</c>, in a stable order.</summary>
    public static IEnumerable<string> CrdFiles() => Directory.GetFiles(PathOf("crds"), "*.yaml").Order(StringComparer.Ordinal);

    /// <summary>The build configuration of the running tests (Release or Debug), for commands that use the same build.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
}
