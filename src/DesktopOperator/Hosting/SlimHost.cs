using Microsoft.AspNetCore.Builder;

namespace DesktopOperator.Hosting;

/// <summary>
/// <see cref="WebApplication.CreateSlimBuilder()"/> rooted in the application's own folder instead of the working
/// directory. The slim host reloads <c>appsettings.json</c> on change, which .NET does with one recursive inotify watch
/// on the content root: rooted in the working directory, a gateway started from the repository root (the README's
/// command) or from <c>/</c> watched every directory under it and woke for every file written anywhere below (its own
/// route files included). The application's folder is small and fixed. Turning the reload off instead made the
/// runtime die with "Out of memory." at the open-file limit (GatewayOutOfDescriptorsTests, 3 of 4 runs; not
/// understood yet), so the watch stays, on a folder that does not change. The executable is configured by its flags
/// and the environment; an <c>appsettings.json</c> beside it is still read.
/// </summary>
internal static class SlimHost
{
    public static WebApplicationBuilder CreateBuilder() =>
        WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
}
