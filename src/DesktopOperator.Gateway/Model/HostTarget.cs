namespace DesktopOperator.Gateway.Model;

/// <summary>Where to connect: a host of the pool, by name, and the address and port of the requested protocol.</summary>
internal sealed record HostTarget(string Name, string Address, int Port);
