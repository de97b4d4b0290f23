using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Tests.Routing;

namespace DesktopOperator.Gateway.Tests.Http;

/// <summary>The host picker's JSON API over real loopback hosts: list, availability, and a pick that pins the route.</summary>
public sealed class HostPickerTests
{
    private const string PickerUrl = "api/picker";

    [Fact]
    public async Task List_GreysTheUnhealthyHost_AndATrustedUsersPickPinsTheirRoute()
    {
        var options = new HttpGatewayOptions { TrustedProxies = [IPNetwork.Parse("127.0.0.0/8")] };
        await using var proxy = await HttpProxyHarness.StartAsync(options);
        proxy.Router.Health.Set(TestPools.Key, "h2", HostHealth.Unhealthy);
        using var client = proxy.NewClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-User", "carol");

        using var list = JsonDocument.Parse(await client.GetStringAsync($"{PickerUrl}?pool={Uri.EscapeDataString(TestPools.Key)}"));
        var available = list.RootElement.GetProperty("hosts").EnumerateArray()
            .ToDictionary(h => h.GetProperty("name").GetString()!, h => h.GetProperty("available").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["h1"] = true, ["h2"] = false }, available);

        using var refused = await client.PostAsJsonAsync(PickerUrl, new { pool = TestPools.Key, host = "h2" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

        proxy.Router.Health.Set(TestPools.Key, "h2", HostHealth.Healthy);
        using var picked = await client.PostAsJsonAsync(PickerUrl, new { pool = TestPools.Key, host = "h2" });
        picked.EnsureSuccessStatusCode();
        var route = proxy.Router.Route("carol");
        Assert.Equal(("h2", true), (route?.Host, route?.Pinned ?? false));
        Assert.StartsWith("h2 ", await client.GetStringAsync("desk/whoami"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pick_ByAnAnonymousBrowser_IsRefused_UnlessAnonymousPinningIsOn()
    {
        await using (var strict = await HttpProxyHarness.StartAsync())
        {
            using var client = strict.NewClient();
            using var response = await client.PostAsJsonAsync(PickerUrl, new { pool = TestPools.Key, host = "h1" });
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Empty(strict.Routes);
        }

        await using var demo = await HttpProxyHarness.StartAsync(new HttpGatewayOptions { AllowAnonymousPinning = true });
        var jar = new CookieContainer();
        using var browser = demo.NewClient(jar);
        var first = (await browser.GetStringAsync("desk/whoami")).Split(' ')[0];
        var other = first == "h1" ? "h2" : "h1";
        using var picked = await browser.PostAsJsonAsync(PickerUrl, new { pool = TestPools.Key, host = other });
        picked.EnsureSuccessStatusCode();
        Assert.StartsWith(other + " ", await browser.GetStringAsync("desk/whoami"), StringComparison.Ordinal);
        Assert.True(Assert.Single(demo.Routes).Pinned);
    }
}
