using System.Net;
using System.Text.Json;
using DesktopOperator.EndToEndTests.Standalone;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;
using DesktopOperator.Testing.Waiting;
using Microsoft.Playwright;

namespace DesktopOperator.EndToEndTests.Web;

/// <summary>
/// The host picker and the status page in headless chromium (Debian's, driven by Playwright), against a real
/// standalone gateway with an Http pool of two healthy hosts and one whose address nothing listens on.
/// </summary>
public sealed class BrowserPagesTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly float Bound = 15_000;
    private readonly GatewayFolders _folders = new("browser");
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(120));
    private readonly List<WebUpstream> _upstreams = [];
    private StandaloneGateway? _gateway;

    private StandaloneGateway Gateway => _gateway ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var port = LoopbackPorts.GetFreePort(LoopbackPorts.Address(153));
        _upstreams.Add(await WebUpstream.StartAsync("web-a", new IPEndPoint(LoopbackPorts.Address(153), port)));
        _upstreams.Add(await WebUpstream.StartAsync("web-b", new IPEndPoint(LoopbackPorts.Address(154), port)));
        File.WriteAllText(
            Path.Combine(_folders.Manifests, "web.yaml"),
            WebPool.Manifest(port, 2, ("web-a", "127.0.0.153"), ("web-b", "127.0.0.154"), ("web-down", "127.0.0.155")));
        _gateway = await StandaloneGateway.StartAsync(_folders.Options("gateway") with { ExtraArguments = ["--allow-anonymous-pinning"] }, _cts.Token);
        await Eventually.TrueAsync(
            async () => await HealthAsync("web-a") == "Healthy" && await HealthAsync("web-b") == "Healthy" && await HealthAsync("web-down") == "Unhealthy",
            "two hosts healthy, web-down unhealthy",
            _cts.Token,
            TimeSpan.FromSeconds(20));
    }

    [ToolFact("chromium")]
    public async Task Picker_UnhealthyHostGreyedAndNotSelectable_PickedHostServesTheBrowser()
    {
        await WithBrowserAsync(async browser =>
        {
            // Two browsers pick web-b. Left to itself, LeastSessions would put the second on the empty web-a.
            foreach (var name in new[] { "first", "second" })
            {
                await using var context = await browser.NewContextAsync();
                var page = await context.NewPageAsync();
                page.SetDefaultTimeout(Bound);
                await page.GotoAsync(new Uri(Gateway.AdminUri, $"picker?pool={WebPool.Key}").ToString());

                var down = page.Locator("label", new() { HasText = "web-down" });
                await Assertions.Expect(down).ToHaveClassAsync("unavailable");
                await Assertions.Expect(down).ToContainTextAsync("(unavailable)");
                await Assertions.Expect(down.Locator("input")).ToBeDisabledAsync();
                await Assertions.Expect(page.GetByLabel("Automatic")).ToBeCheckedAsync();
                var healthy = page.Locator("label", new() { HasText = "web-b" }).Locator("input");
                await Assertions.Expect(healthy).ToBeEnabledAsync();
                await healthy.CheckAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Use this host" }).ClickAsync();
                await Assertions.Expect(page.Locator("#message")).ToHaveTextAsync("Your desktop is on web-b.");

                var response = await page.GotoAsync(new Uri(Gateway.AdminUri, "web/whoami").ToString());
                Assert.NotNull(response);
                Assert.Equal($"web-b /whoami", await response.TextAsync());
                Assert.Equal(name == "first" ? 1 : 2, await SessionsAsync("web-b"));
            }
        });
        Assert.Equal(0, await SessionsAsync("web-a"));
    }

    [ToolFact("chromium")]
    public async Task StatusPage_ShowsASessionAfterAConnection()
    {
        await WithBrowserAsync(async browser =>
        {
            await using var context = await browser.NewContextAsync();
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(Bound);
            await page.GotoAsync(Gateway.AdminUri.ToString());
            var rows = page.Locator("tr", new() { HasText = "web-" });
            await Assertions.Expect(rows).ToHaveCountAsync(3);
            var sessionCells = page.Locator("tr td:nth-child(6)");
            await Assertions.Expect(sessionCells).ToHaveTextAsync(["0", "0", "0"]);
            await Assertions.Expect(page.Locator("tr", new() { HasText = "web-down" }).Locator("td.Unhealthy")).ToHaveTextAsync("Unhealthy");

            // Another browser (a plain HTTP client with its own cookie) opens a desktop: its first request stores no
            // route, the second brings the cookie back and makes it, on the same host.
            using var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer() }) { BaseAddress = Gateway.AdminUri };
            var served = (await client.GetStringAsync(new Uri("web/whoami", UriKind.Relative), _cts.Token)).Split(' ')[0];
            Assert.Equal(served, (await client.GetStringAsync(new Uri("web/whoami", UriKind.Relative), _cts.Token)).Split(' ')[0]);

            // The page refreshes itself (every 2 s): the host that took the connection now shows one session.
            await Assertions.Expect(page.Locator("tr", new() { HasText = served }).Locator("td:nth-child(6)")).ToHaveTextAsync("1");
            await Assertions.Expect(page.Locator("section p").First).ToContainTextAsync("routes: ");
        });
    }

    private static async Task WithBrowserAsync(Func<IBrowser, Task> test)
    {
        Assertions.SetDefaultExpectTimeout(Bound);
        using var playwright = await Playwright.CreateAsync();
        // Debian's chromium, never Playwright's own download; no sandbox: the tests run as root.
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"], Timeout = Bound });
        try
        {
            await test(browser);
        }
        finally
        {
            await browser.CloseAsync();
        }
    }

    private async Task<JsonElement> HostAsync(string name)
    {
        var status = await Gateway.GetStatusAsync(_cts.Token);
        return status.GetProperty("pools")[0].GetProperty("hosts").EnumerateArray().Single(h => h.GetProperty("name").GetString() == name);
    }

    private async Task<string?> HealthAsync(string name) => (await HostAsync(name)).GetProperty("health").GetString();

    private async Task<int> SessionsAsync(string name) => (await HostAsync(name)).GetProperty("sessions").GetInt32();

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        foreach (var upstream in _upstreams)
        {
            await upstream.DisposeAsync();
        }

        _cts.Dispose();
        _folders.Dispose();
    }
}
