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
/// <param name="PreferredHost">
/// A host a new route should go to when it is usable with a free slot (the HTTP affinity cookie's host), else the
/// pool's strategy decides; ignored once the key has a live route. Unlike <paramref name="RequestedHost"/>, not pinned.
/// </param>
internal sealed record RouteRequest(
    string Pool,
    string Protocol,
    string? User,
    IPAddress ClientAddress,
    string? RequestedHost = null,
    IReadOnlyList<string>? Groups = null,
    string? PreferredHost = null);
