using DesktopOperator.Testing;
namespace DesktopOperator.Api.Tests.Support;

/// <summary>Runs the <c>helm</c> binary from PATH or <c>&lt;repo&gt;/.tools/bin</c> (what <c>.ci/install-tools</c> installs).</summary>
internal static class Helm
{
    public const string MissingMessage =
        "helm is not on PATH nor in <repo>/.tools/bin: run .ci/install-tools (with CI=true this fails instead of skipping)";

    public static string? Executable { get; } = Find();

    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        Assert.True(Executable is not null, MissingMessage);

        // Keep helm away from the user's cache and config.
        var home = Directory.CreateTempSubdirectory("helm-home-");
        try
        {
            return await ProcessRunner.RunAsync(Executable!, arguments, new Dictionary<string, string>
            {
                ["HELM_CACHE_HOME"] = Path.Combine(home.FullName, "cache"),
                ["HELM_CONFIG_HOME"] = Path.Combine(home.FullName, "config"),
                ["HELM_DATA_HOME"] = Path.Combine(home.FullName, "data"),
            });
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    private static string? Find()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "helm"))
            .Append(RepositoryPaths.PathOf(".tools", "bin", "helm"));
        return candidates.FirstOrDefault(File.Exists);
    }
}
