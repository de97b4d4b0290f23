using DesktopOperator.Testing;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Api.Tests.Chart;

/// <summary>
/// <c>desktop-operator</c> published self-contained for linux-x64, as the Dockerfile does, once per test class (about
/// a minute): its own artifacts folder keeps the repository's bin/ and obj/ untouched. Readable by every user.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PublishedApp : IAsyncLifetime
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("published-app-");

    public string Executable => Path.Combine(_root.FullName, "app", "desktop-operator");

    public async Task InitializeAsync()
    {
        File.SetUnixFileMode(_root.FullName, (UnixFileMode)0b111_101_101);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? ExternalTools.Require("dotnet");
        var result = await ProcessRunner.RunAsync(
            dotnet,
            [
                "publish", RepositoryPaths.PathOf("src", "DesktopOperator", "DesktopOperator.csproj"), "-c", "Release", "-r", "linux-x64", "--self-contained",
                "--artifacts-path", Path.Combine(_root.FullName, "artifacts"), "-o", Path.Combine(_root.FullName, "app"), "-nologo",
            ],
            TimeSpan.FromMinutes(10),
            CancellationToken.None);
        Assert.True(result.Succeeded, result.ToString());
        Assert.True(File.Exists(Executable), $"no {Executable} after publishing");
    }

    public Task DisposeAsync()
    {
        _root.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
