using System.Buffers.Text;
using System.Net;
using System.Text;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Gateway.Tests.Routing;

namespace DesktopOperator.Gateway.Tests.Http;

/// <summary>
/// Requests without a valid affinity cookie store no route: they go to a host the routing engine chooses without
/// binding, and the cookie they get names it; the first request back with the cookie makes the route, there.
/// </summary>
public sealed class CookielessRequestTests
{
    private static readonly AffinityCookieKeys Keys = new([HttpProxyHarness.Secret]);

    [Fact]
    public async Task FiftyRequestsWithoutCookies_StoreNoRoute_AndEachIsServedAndGetsACookie()
    {
        await using var proxy = await HttpProxyHarness.StartAsync();
        using var script = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = proxy.Address };

        for (var i = 0; i < 50; i++)
        {
            using var response = await script.GetAsync(new Uri("desk/whoami", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(Host(await response.Content.ReadAsStringAsync()), new[] { "h1", "h2" });
            var cookie = CookieOf(response);
            Assert.Equal(Host(await response.Content.ReadAsStringAsync()), AffinityCookie.Read(cookie, Keys, out _)?.Host);
        }

        Assert.Empty(proxy.Routes);
    }

    [Fact]
    public async Task BrowserFlow_TheSecondRequestMakesOneRoute_OnTheFirstRequestsHost()
    {
        await using var proxy = await HttpProxyHarness.StartAsync();
        var jar = new CookieContainer();
        using var browser = proxy.NewClient(jar);

        var first = Host(await browser.GetStringAsync(new Uri("desk/whoami", UriKind.Relative)));
        Assert.Empty(proxy.Routes);
        var id = AffinityCookie.Verify(jar.GetCookies(proxy.Address)[HttpRoutePlan.DefaultCookieName]!.Value, Keys);

        // Someone else's session on that host: LeastSessions alone would now pick the other one.
        await proxy.Router.Store.CreateAsync(TestPools.Route("someone-else", first) with { Protocol = "web" }, default);
        for (var i = 2; i <= 5; i++)
        {
            Assert.Equal(first, Host(await browser.GetStringAsync(new Uri("desk/whoami", UriKind.Relative))));
            var route = Assert.Single(proxy.Routes, r => r.Key != "someone-else");
            Assert.Equal((id, first), (route.Key, route.Host));
        }
    }

    [Fact]
    public async Task CookieWhoseHostBecameUnusable_MakesTheRouteOnAnotherHealthyHost()
    {
        await using var proxy = await HttpProxyHarness.StartAsync();
        var jar = new CookieContainer();
        using var browser = proxy.NewClient(jar);
        var first = Host(await browser.GetStringAsync(new Uri("desk/whoami", UriKind.Relative)));
        var other = first == "h1" ? "h2" : "h1";

        proxy.Router.Health.Set(TestPools.Key, first, HostHealth.Unhealthy);

        Assert.Equal(other, Host(await browser.GetStringAsync(new Uri("desk/whoami", UriKind.Relative))));
        Assert.Equal(other, Assert.Single(proxy.Routes).Host);
    }

    [Fact]
    public async Task IdOnlyCookie_FromBefore_StillVerifies_MakesItsRoute_AndIsKept()
    {
        await using var proxy = await HttpProxyHarness.StartAsync();
        const string Id = AffinityCookie.IdPrefix + "00112233445566778899aabbccddeeff";
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = proxy.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "desk/whoami");
        request.Headers.Add("Cookie", $"{HttpRoutePlan.DefaultCookieName}={AffinityCookie.Sign(Id, Keys)}");

        using var response = await client.SendAsync(request);

        response.EnsureSuccessStatusCode();
        Assert.Equal(Id, Assert.Single(proxy.Routes).Key);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task CookieWithATamperedHost_CountsAsNoCookie()
    {
        await using var proxy = await HttpProxyHarness.StartAsync();
        const string Id = AffinityCookie.IdPrefix + "00112233445566778899aabbccddeeff";
        var signed = AffinityCookie.Sign(Id, "h1", Keys);
        var forged = $"{Id}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes("h2"))}{signed[signed.LastIndexOf('.')..]}";
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = proxy.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "desk/whoami");
        request.Headers.Add("Cookie", $"{HttpRoutePlan.DefaultCookieName}={forged}");

        using var response = await client.SendAsync(request);

        response.EnsureSuccessStatusCode();
        Assert.Empty(proxy.Routes);
        var reissued = AffinityCookie.Read(CookieOf(response), Keys, out _);
        Assert.NotNull(reissued);
        Assert.NotEqual(Id, reissued.Value.Id);
    }

    [Fact]
    public async Task NoHealthyHost_ForACookielessRequest_Is503WithRetryAfter_AndStoresNothing()
    {
        await using var proxy = await HttpProxyHarness.StartAsync();
        proxy.Router.Health.Set(TestPools.Key, "h1", HostHealth.Unhealthy);
        proxy.Router.Health.Set(TestPools.Key, "h2", HostHealth.Unhealthy);
        using var client = proxy.NewClient();

        using var response = await client.GetAsync(new Uri("desk/whoami", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Empty(proxy.Routes);
    }

    private static string CookieOf(HttpResponseMessage response)
    {
        var header = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var prefix = HttpRoutePlan.DefaultCookieName + "=";
        Assert.StartsWith(prefix, header, StringComparison.Ordinal);
        return header[prefix.Length..header.IndexOf(';', StringComparison.Ordinal)];
    }

    private static string Host(string whoami) => whoami.Split(' ')[0];
}
