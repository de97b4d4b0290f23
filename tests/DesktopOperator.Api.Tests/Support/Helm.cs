using System.Diagnostics;

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
        var start = new ProcessStartInfo(Executable!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Keep helm away from the user's cache and config.
        var home = Directory.CreateTempSubdirectory("helm-home-").FullName;
        start.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "cache");
        start.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "config");
        start.Environment["HELM_DATA_HOME"] = Path.Combine(home, "data");

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(home, recursive: true);
        }
    }

    private static string? Find()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "helm"))
            .Append(Repository.PathOf(".tools", "bin", "helm"));
        return candidates.FirstOrDefault(File.Exists);
    }
}
