namespace DesktopOperator.Controllers.Routes;

/// <summary>A Kubernetes Event about a route.</summary>
internal sealed record RouteEvent(string Type, string Reason, string Message);
