using DesktopOperator.Testing;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.EndToEndTests.Cli;

/// <summary>
/// Relative paths on the command line are relative to where the user stands, also under <c>dotnet run</c> (whose Web
/// SDK default would start the program in <c>src/DesktopOperator</c>): the README's commands are run from the
/// repository root.
/// </summary>
public sealed class WorkingDirectoryTests
{
    [ToolFact("dotnet", "setsid")]
    public async Task DotnetRun_FromRepositoryRoot_RelativeOutputLandsUnderTheRoot()
    {
        var relative = Path.Combine(".tmp", "run-directory-" + Guid.NewGuid().ToString("N"));
        var expected = RepositoryPaths.PathOf(relative);
        var wrong = RepositoryPaths.PathOf("src", "DesktopOperator", relative);
        try
        {
            // The built program (--no-build: the test run has built it), started the way the README starts it.
            var result = await ProcessRunner.RunAsync(
                "bash",
                ["-c", "cd \"$1\" && exec dotnet run --project src/DesktopOperator -c \"$2\" --no-build -- crds --output \"$3\"", "run", RepositoryPaths.Root, RepositoryPaths.Configuration, relative],
                TimeSpan.FromMinutes(2),
                CancellationToken.None);

            Assert.True(result.Succeeded, result.ToString());
            Assert.True(File.Exists(Path.Combine(expected, "desktop-operator.io_desktoppools.yaml")), result.ToString());
            Assert.False(Directory.Exists(wrong), $"written under {wrong}");
        }
        finally
        {
            DeleteIfPresent(expected);
            DeleteIfPresent(wrong);
        }
    }

    private static void DeleteIfPresent(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
