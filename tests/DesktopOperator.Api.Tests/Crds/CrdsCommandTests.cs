using DesktopOperator.Testing;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Api.Tests.Crds;

public sealed class CrdsCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("crds-command-");

    [Fact]
    public async Task Crds_BuiltExecutable_ReproducesCommittedFilesByteForByte()
    {
        // The built desktop-operator (copied next to the tests), as a user runs it: it must find the API's XML docs.
        var output = Path.Combine(_dir.FullName, "crds");
        var chart = Path.Combine(_dir.FullName, "chart");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var executable = Path.Combine(AppContext.BaseDirectory, "desktop-operator.dll");

        var result = await ProcessRunner.RunAsync(
            dotnet, [executable, "crds", "--output", output, "--chart", chart], TimeSpan.FromSeconds(120), CancellationToken.None, workingDirectory: RepositoryPaths.Root);

        Assert.True(result.Succeeded, result.ToString());
        foreach (var name in new[] { "desktop-operator.io_desktoppools.yaml", "desktop-operator.io_sessionroutes.yaml" })
        {
            Assert.Equal(File.ReadAllBytes(RepositoryPaths.PathOf("crds", name)), File.ReadAllBytes(Path.Combine(output, name)));
            Assert.Equal(
                File.ReadAllBytes(RepositoryPaths.PathOf("charts", "desktop-operator", "templates", "crd-" + name)),
                File.ReadAllBytes(Path.Combine(chart, "templates", "crd-" + name)));
        }

        Assert.Equal(2, Directory.GetFiles(output).Length);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
