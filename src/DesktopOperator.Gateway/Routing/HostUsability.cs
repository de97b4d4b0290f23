namespace DesktopOperator.Gateway.Routing;

/// <summary>Why a host cannot take a connection, or <see cref="Usable"/>; checked in this order.</summary>
internal enum HostUsability
{
    Usable,
    NotInPool,
    Excluded,
    NotReady,
    Unhealthy,
    Draining,
    NoWeight,
}
