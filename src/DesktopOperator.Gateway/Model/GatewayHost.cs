using System.Net;

namespace DesktopOperator.Gateway.Model;

/// <summary>
/// One session host of a pool as the routing engine sees it.
/// </summary>
/// <param name="Name">Unique within the pool (pod name or static host name); routes refer to it.</param>
/// <param name="Address">Where to connect (IP or DNS name); the port comes from the protocol.</param>
/// <param name="Weight">Share of new sessions relative to the other hosts; 0 = takes no new sessions (existing routes stay).</param>
/// <param name="Ready">The host is up (pod Ready, or a static host); a host that is not ready gets no connections.</param>
/// <param name="Draining">Being emptied for removal: keeps its existing routes, gets no new ones.</param>
/// <param name="Uid">The pod's uid (null for static hosts): a route that recorded another uid for this name lost its host
/// (<see cref="Api.Routes.RouteLifecycle.IsSameHost"/>).</param>
internal sealed record GatewayHost(string Name, string Address, int Weight = 1, bool Ready = true, bool Draining = false, string? Uid = null)
{
    public string Address
    {
        get;
        init
        {
            field = value;
            IpAddress = Parse(value); // a copy with another address (with) gets its own
        }
    } = Address;

    /// <summary>
    /// <see cref="Address"/> parsed, once per pool snapshot rather than per connect (proxy-figures.md, Run 8); null for
    /// a DNS name.
    /// </summary>
    public IPAddress? IpAddress { get; private init; } = Parse(Address); // an initializer bypasses Address's init

    private static IPAddress? Parse(string address) => IPAddress.TryParse(address, out var parsed) ? parsed : null;
}
