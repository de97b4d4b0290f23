using Microsoft.AspNetCore.Builder;

namespace DesktopOperator.Hosting;

/// <summary>
/// <see cref="WebApplication.CreateSlimBuilder()"/> without its watch on the working directory. By default it reloads
/// <c>appsettings.json</c> on change, and .NET does that with one recursive inotify watch on the content root, the
/// current directory: a gateway started from the repository root (the README's command) or from <c>/</c> watched
/// every directory under it, could run into the kernel's watch limit at start, and woke for every file written
/// anywhere below (its own route files included). The executable is configured by its flags and the environment; an
/// <c>appsettings.json</c>, if there is one, is still read once at start.
/// </summary>
internal static class SlimHost
{
    public static WebApplicationBuilder CreateBuilder() =>
        WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
}
