using System.Net;

namespace DesktopOperator.Gateway.Model;

/// <summary>
/// One client connection (or HTTP request) asking for a host.
/// </summary>
/// <param name="Pool">The pool key, <c>namespace/name</c>.</param>
/// <param name="Protocol">The name of the pool protocol the client came in on (<c>spec.protocols[].name</c>).</param>
/// <param name="User">The user identity the protocol carried (RDP mstshash cookie, auth-proxy header), or null.</param>
/// <param name="ClientAddress">The client's address, used for source-address affinity when there is no user.</param>
/// <param name="RequestedHost">A host the user picked by name, or null for automatic.</param>
/// <param name="Groups">Groups of the user, when the front end knows them (access allow-lists).</param>
internal sealed record RouteRequest(
    string Pool,
    string Protocol,
    string? User,
    IPAddress ClientAddress,
    string? RequestedHost = null,
    IReadOnlyList<string>? Groups = null);
