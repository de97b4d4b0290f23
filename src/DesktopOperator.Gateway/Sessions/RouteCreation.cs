using DesktopOperator.Gateway.Model;

namespace DesktopOperator.Gateway.Sessions;

/// <summary>What <see cref="IRouteStore.CreateAsync"/> stored: ours (<see cref="Created"/>), or the route another writer made first.</summary>
internal readonly record struct RouteCreation(RouteRecord Route, bool Created);
