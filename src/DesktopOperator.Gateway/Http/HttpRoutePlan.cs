namespace DesktopOperator.Gateway.Http;

/// <summary>
/// One Http protocol of a pool as the HTTP proxy serves it: requests whose path starts with <see cref="PathPrefix"/>
/// (and/or whose Host is <see cref="Hostname"/>) go to a host of <see cref="Pool"/> on <see cref="HostPort"/>, with
/// the prefix removed from the path.
/// </summary>
/// <param name="Pool">The pool key, <c>namespace/name</c>.</param>
/// <param name="Protocol">The protocol's name (<c>spec.protocols[].name</c>).</param>
/// <param name="PathPrefix">Without a trailing slash (<c>/desktop</c>); null when the protocol matches by host name only.</param>
/// <param name="UserHeader">The header a trusted auth proxy puts the user name in (<c>spec.affinity.userHeader</c>).</param>
/// <param name="CookieName">The signed affinity cookie's name (<c>spec.affinity.userCookie</c>, else <see cref="DefaultCookieName"/>).</param>
/// <param name="IdleTimeout">Close a request or WebSocket quiet this long (<c>spec.sessions.idleTimeout</c>); null: the gateway's default.</param>
internal sealed record HttpRoutePlan(
    string Pool, string Protocol, string? PathPrefix, string? Hostname, int HostPort, string UserHeader, string CookieName, TimeSpan? IdleTimeout = null)
{
    public const string DefaultCookieName = "desktop-affinity";

    /// <summary>YARP's route and cluster id: unique per pool protocol.</summary>
    public string Id => $"{Pool}/{Protocol}";

    /// <summary><c>/desktop/</c> becomes <c>/desktop</c>; <c>/</c> becomes the empty prefix (the whole site).</summary>
    public static string? NormalizePrefix(string? path) => path?.TrimEnd('/');
}
