using System.Net;
using System.Security.Cryptography;

namespace DesktopOperator.Gateway.Http;

/// <summary>Settings of the HTTP proxy that are the gateway's, not a pool's (command-line options).</summary>
internal sealed record HttpGatewayOptions
{
    /// <summary>
    /// Addresses of auth proxies in front of the gateway: only a request whose connection comes from one of them
    /// may name its user in the pool's <c>affinity.userHeader</c>; from anywhere else the header is removed.
    /// </summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>Let a request without a user identity (only an affinity cookie) pin a host in the host picker.</summary>
    public bool AllowAnonymousPinning { get; init; }

    /// <summary>Fills a buffer with random bytes (affinity cookie ids); a seam for tests.</summary>
    public Action<Span<byte>> Random { get; init; } = RandomNumberGenerator.Fill;

    /// <summary>How long a browser keeps its affinity cookie; its route still expires after the pool's <c>resumeFor</c>.</summary>
    public TimeSpan CookieLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Whether <paramref name="address"/> is one of <see cref="TrustedProxies"/>.</summary>
    public bool IsTrusted(IPAddress address)
    {
        var mapped = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        for (var i = 0; i < TrustedProxies.Count; i++)
        {
            if (TrustedProxies[i].Contains(mapped))
            {
                return true;
            }
        }

        return false;
    }
}
