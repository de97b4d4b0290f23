namespace DesktopOperator.Controllers.Routes;

/// <summary>Keep, write status, or delete the route.</summary>
internal enum RouteAction
{
    Keep,
    WriteStatus,
    Delete,
}
