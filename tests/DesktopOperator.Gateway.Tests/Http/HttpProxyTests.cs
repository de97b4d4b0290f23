using System.Net;
using System.Net.WebSockets;
using System.Text;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Gateway.Tests.Http;

/// <summary>The HTTP proxy against real loopback upstreams: our router picks the host, for requests and WebSockets.</summary>
public sealed class HttpProxyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Requests_StayOnOneHost_AcrossNewConnections_AndUsersSpreadOverHosts()
    {
        await using var proxy = await HttpProxyHarness.StartAsync();
        var jar = new CookieContainer();
        string first;
        using (var browser = proxy.NewClient(jar))
        {
            first = Host(await browser.GetStringAsync("desk/whoami"));
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(first, Host(await browser.GetStringAsync("desk/whoami")));
            }
        }

        // A new connection pool (a reconnect) with the same cookie jar lands on the same host.
        using (var again = proxy.NewClient(jar))
        {
            Assert.Equal(first, Host(await again.GetStringAsync("desk/whoami")));
        }

        // A second browser is a second user: LeastSessions puts it on the other host (its route is made when it
        // comes back with its cookie).
        using var other = proxy.NewClient();
        Assert.NotEqual(first, Host(await other.GetStringAsync("desk/whoami")));
        Assert.NotEqual(first, Host(await other.GetStringAsync("desk/whoami")));
        Assert.Equal(2, proxy.Routes.Count);
        Assert.All(proxy.Routes, r => Assert.StartsWith(AffinityCookie.IdPrefix, r.Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WebSocket_EchoesThroughTheProxy_OnTheUsersHost_AndHoldsAnActiveRoute()
    {
        await using var proxy = await HttpProxyHarness.StartAsync();
        var jar = new CookieContainer();
        using var browser = proxy.NewClient(jar);
        var host = Host(await browser.GetStringAsync("desk/whoami"));

        using var socket = new ClientWebSocket();
        socket.Options.Cookies = jar;
        using var timeout = new CancellationTokenSource(Bound);
        await socket.ConnectAsync(new Uri($"ws://{proxy.Address.Authority}/desk/ws"), timeout.Token);
        var message = Encoding.UTF8.GetBytes("RFB 003.008\n");
        await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(message, buffer[..received.Count]);

        var route = Assert.Single(proxy.Routes);
        Assert.Equal(host, route.Host);
        await Eventually.WaitAsync(() => proxy.Routes.Single().Phase == SessionRoutePhase.Active, "the route is Active while the WebSocket is open");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        await Eventually.WaitAsync(() => proxy.Routes.Single().Phase == SessionRoutePhase.Disconnected, "the route is Disconnected once the WebSocket closed");
    }

    [Fact]
    public async Task UserHeader_FromAnUntrustedClient_IsIgnoredAndRemoved()
    {
        await using var proxy = await HttpProxyHarness.StartAsync();
        using var client = proxy.NewClient();
        for (var i = 0; i < 2; i++)
        {
            // The second request carries the cookie the first got: the one that makes a route.
            using var request = new HttpRequestMessage(HttpMethod.Get, "desk/whoami");
            request.Headers.Add("X-Forwarded-User", "bob");
            using var response = await client.SendAsync(request);
            Assert.EndsWith("user=", (await response.Content.ReadAsStringAsync()).Trim(), StringComparison.Ordinal);
        }

        var route = Assert.Single(proxy.Routes);
        Assert.NotEqual("bob", route.Key);
        Assert.StartsWith(AffinityCookie.IdPrefix, route.Key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserHeader_FromATrustedProxy_NamesTheRoute_AndReachesTheHost()
    {
        var options = new HttpGatewayOptions { TrustedProxies = [IPNetwork.Parse("127.0.0.0/8")] };
        await using var proxy = await HttpProxyHarness.StartAsync(options);
        using var client = proxy.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "desk/whoami");
        request.Headers.Add("X-Forwarded-User", "bob");
        using var response = await client.SendAsync(request);

        Assert.EndsWith("user=bob", (await response.Content.ReadAsStringAsync()).Trim(), StringComparison.Ordinal);
        Assert.Equal("bob", Assert.Single(proxy.Routes).Key);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task TamperedCookie_IsIgnored_AndReplacedByANewOne()
    {
        await using var proxy = await HttpProxyHarness.StartAsync();
        var keys = new AffinityCookieKeys([HttpProxyHarness.Secret]);
        var victim = AffinityCookie.Sign(AffinityCookie.IdPrefix + "00112233445566778899aabbccddeeff", keys);
        var forged = AffinityCookie.IdPrefix + "ffeeddccbbaa99887766554433221100" + victim[victim.LastIndexOf('.')..];
        var jar = new CookieContainer();
        jar.Add(proxy.Address, new Cookie(HttpRoutePlan.DefaultCookieName, forged));
        using var client = proxy.NewClient(jar);

        using var response = await client.GetAsync("desk/whoami");

        // Treated as no cookie: nothing stored, and a new cookie whose id the next request's route takes.
        response.EnsureSuccessStatusCode();
        Assert.Empty(proxy.Routes);
        var reissued = jar.GetCookies(proxy.Address)[HttpRoutePlan.DefaultCookieName]!.Value;
        (await client.GetAsync("desk/whoami")).Dispose();
        var route = Assert.Single(proxy.Routes);
        Assert.NotEqual("anon-ffeeddccbbaa99887766554433221100", route.Key);
        Assert.Equal(route.Key, AffinityCookie.Verify(reissued, keys));
    }

    private static string Host(string whoami) => whoami.Split(' ')[0];
}
