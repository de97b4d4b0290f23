using DesktopOperator.Api.Tests.Chart;
using DesktopOperator.Testing;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Api.Tests.Support;

/// <summary>
/// Runs the <c>helm</c> binary that <see cref="ExternalTools"/> finds (PATH or <c>&lt;repo&gt;/.tools/bin</c>) through
/// <see cref="ProcessRunner"/>; Output is stdout then stderr. A run over the time limit fails with its outputs.
/// </summary>
internal static class Helm
{
    /// <summary><c>helm lint --strict</c> or <c>helm template</c> (<paramref name="verb"/>) of the chart with one <c>--set</c> value.</summary>
    public static Task<(int ExitCode, string Output)> RunWithValueAsync(string verb, string value) => verb == "lint"
        ? RunAsync("lint", RenderedChart.ChartDir, "--strict", "--set", value)
        : RunAsync("template", "d", RenderedChart.ChartDir, "--set", value);

    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var executable = ExternalTools.Require("helm");

        // Keep helm away from the user's cache and config.
        var home = Directory.CreateTempSubdirectory("helm-home-");
        try
        {
            var result = await ProcessRunner.RunAsync(
                executable,
                arguments,
                TimeSpan.FromSeconds(120),
                CancellationToken.None,
                new Dictionary<string, string>
                {
                    ["HELM_CACHE_HOME"] = Path.Combine(home.FullName, "cache"),
                    ["HELM_CONFIG_HOME"] = Path.Combine(home.FullName, "config"),
                    ["HELM_DATA_HOME"] = Path.Combine(home.FullName, "data"),
                },
                workingDirectory: RepositoryPaths.Root);
            Assert.False(result.TimedOut, result.ToString());
            return (result.ExitCode, result.Stdout + result.Stderr);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }
}
