using System.Net;

namespace DesktopOperator.Gateway.Model;

/// <summary>Where to connect: a host of the pool, by name, and the address and port of the requested protocol.</summary>
internal sealed record HostTarget(string Name, string Address, int Port)
{
    public string Address
    {
        get;
        init
        {
            field = value;
            IpAddress = null; // whoever changes the address passes its parsed form again, or it is parsed at connect
        }
    } = Address;

    /// <summary>
    /// <see cref="Address"/> as already parsed by the pool snapshot (<see cref="GatewayHost.IpAddress"/>), or null when not
    /// given (a DNS name, or a target made without its host). Derived from the address, so not part of equality.
    /// </summary>
    public IPAddress? IpAddress { get; init; }

    public bool Equals(HostTarget? other) =>
        other is not null && Name == other.Name && Address == other.Address && Port == other.Port;

    public override int GetHashCode() => HashCode.Combine(Name, Address, Port);

    /// <summary>The target for <paramref name="host"/> on <paramref name="port"/>, with its address parsed already.</summary>
    public static HostTarget Of(GatewayHost host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new HostTarget(host.Name, host.Address, port) { IpAddress = host.IpAddress };
    }
}
