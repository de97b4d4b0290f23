using Microsoft.AspNetCore.Builder;

namespace DesktopOperator.Hosting;

/// <summary>
/// <see cref="WebApplication.CreateSlimBuilder()"/> rooted in the application's own folder instead of the working
/// directory. The slim host reloads <c>appsettings.json</c> on change, which .NET does with one recursive inotify watch
/// on the content root: rooted in the working directory, a gateway started from the repository root (the README's
/// command) or from <c>/</c> watched every directory under it and woke for every file written anywhere below (its own
/// route files included). The application's folder is small and fixed. (Turning the reload off instead once made the
/// runtime die with "Out of memory." in GatewayOutOfDescriptorsTests. The reload was not the cause: the gateway's host
/// sockets met EMFILE while its descriptor reserve stayed held, so it sat at its limit until the runtime could not
/// start a thread, and the watcher only changed the odds. That is fixed in <c>DescriptorReserve.Guard</c>.) The
/// executable is configured by its flags and the environment; an <c>appsettings.json</c> beside it is still read.
/// </summary>
internal static class SlimHost
{
    public static WebApplicationBuilder CreateBuilder() =>
        WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
}
