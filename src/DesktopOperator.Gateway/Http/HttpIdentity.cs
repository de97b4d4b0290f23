using Microsoft.AspNetCore.Http;

namespace DesktopOperator.Gateway.Http;

/// <summary>
/// Who a request is, for routing: the user an auth proxy named in the trusted header (<see cref="Authenticated"/>),
/// else the id of a valid signed affinity cookie (re-signed with the newest key when an older one signed it), else a
/// freshly minted id whose cookie the response sets.
/// </summary>
/// <param name="User">The routing engine's user key; null only when no cookie may be minted.</param>
/// <param name="Authenticated">The user came from the trusted header, not from a cookie.</param>
/// <param name="NewCookieValue">A signed cookie value to send back (the client had no valid cookie, or one an older key signed), or null.</param>
/// <param name="Minted">The id was minted for this request (no valid cookie): nobody has shown they keep it yet.</param>
/// <param name="CookieHost">The host the cookie names (where the client's earlier request without a route went), or null.</param>
internal sealed record HttpIdentity(string? User, bool Authenticated, string? NewCookieValue, bool Minted = false, string? CookieHost = null)
{
    /// <summary>
    /// Resolves the identity of <paramref name="context"/>'s request. The user header is honoured only when the
    /// connection comes from a trusted proxy; otherwise it is removed from the request, so a host behind the
    /// gateway never sees a user name a client made up. A tampered, foreign or malformed cookie counts as none.
    /// </summary>
    public static HttpIdentity Resolve(
        HttpContext context, string userHeader, string cookieName, HttpGatewayOptions options, AffinityCookieKeys keys, Action<Span<byte>> random)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var request = context.Request;
        if (context.Connection.RemoteIpAddress is { } remote && options.IsTrusted(remote))
        {
            var named = request.Headers[userHeader].ToString().Trim();
            if (named.Length > 0)
            {
                return new HttpIdentity(named, Authenticated: true, NewCookieValue: null);
            }
        }
        else
        {
            request.Headers.Remove(userHeader);
        }

        if (AffinityCookie.Read(request.Cookies[cookieName], keys, out var signedByNewest) is var (id, host))
        {
            // Signed by a key that is no longer the newest (rotated): the same id and host, signed anew, so the browser
            // keeps its desktop and holds a cookie that survives the old key's removal. An id-only cookie (from before
            // cookies named a host) is kept as it is: its route, once made, rules anyway.
            var resigned = signedByNewest ? null : AffinityCookie.Sign(id, host, keys);
            return new HttpIdentity(id, Authenticated: false, resigned, CookieHost: host);
        }

        var minted = AffinityCookie.NewId(random);
        return new HttpIdentity(minted, Authenticated: false, AffinityCookie.Sign(minted, keys), Minted: true);
    }

    /// <summary>A minted identity whose cookie also names <paramref name="host"/>, where this request goes without a route.</summary>
    public HttpIdentity WithHost(string host, AffinityCookieKeys keys) =>
        this with { NewCookieValue = AffinityCookie.Sign(User!, host, keys), CookieHost = host };

    /// <summary>Adds the Set-Cookie of <see cref="NewCookieValue"/> (HttpOnly, SameSite=Lax, Secure over HTTPS) to the response.</summary>
    public void AppendCookie(HttpContext context, string cookieName, TimeSpan maxAge)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (NewCookieValue is null)
        {
            return;
        }

        context.Response.Cookies.Append(cookieName, NewCookieValue, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = maxAge,
        });
    }
}
