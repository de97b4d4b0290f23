using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DesktopOperator.Gateway.Pages;

/// <summary>
/// The gateway's pages on its HTTP listener: the status page at <c>/</c> (over <c>/api/status</c>, mapped by the
/// host), the host picker at <c>/picker?pool=namespace/name</c> and its JSON API <c>/api/picker</c>.
/// </summary>
internal static class PageEndpoints
{
    public static IEndpointRouteBuilder MapGatewayPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Content(EmbeddedPage.Status, EmbeddedPage.ContentType));
        endpoints.MapGet("/picker", () => Results.Content(EmbeddedPage.Picker, EmbeddedPage.ContentType));
        endpoints.MapGet("/api/picker", HostPicker.List);
        endpoints.MapPost("/api/picker", HostPicker.PickAsync);
        return endpoints;
    }
}
