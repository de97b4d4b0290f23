namespace DesktopOperator.IntegrationTests.Kube;

/// <summary>The repository the tests run from (the folder holding <c>Operator.sln</c>).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static IEnumerable<string> Crds() => Directory.GetFiles(Path("crds"), "*.yaml").Order(StringComparer.Ordinal);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Operator.sln above {AppContext.BaseDirectory}.");
    }
}
