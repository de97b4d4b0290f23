using System.Net;
using DesktopOperator.EndToEndTests.Standalone;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Proxies;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.EndToEndTests.Web;

/// <summary>
/// The cookie keys file of a running gateway rotated as the README says (append the new key; later delete the old
/// one): the browser keeps its desktop throughout, its cookie comes back signed by the new key, and once the old key
/// is gone a cookie only it signed no longer names anyone.
/// </summary>
public sealed class CookieKeyRotationTests
{
    private const string OldKey = "old-e2e-key-0123456789-0123456789-0123456789";
    private const string NewKey = "new-e2e-key-0123456789-0123456789-0123456789";

    [Fact]
    public async Task KeysFileRotated_WhileRunning_NobodyIsLoggedOut()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var folders = new GatewayFolders("cookie-rotation");
        var keys = Path.Combine(folders.Root, "cookie-keys");
        File.WriteAllText(keys, OldKey + "\n");
        var port = LoopbackPorts.GetFreePort(LoopbackPorts.Address(156));
        await using var a = await WebUpstream.StartAsync("web-a", new IPEndPoint(LoopbackPorts.Address(156), port));
        await using var b = await WebUpstream.StartAsync("web-b", new IPEndPoint(LoopbackPorts.Address(157), port));
        File.WriteAllText(Path.Combine(folders.Manifests, "web.yaml"), WebPool.Manifest(port, 50, ("web-a", "127.0.0.156"), ("web-b", "127.0.0.157")));
        await using var gateway = await StandaloneGateway.StartAsync(folders.Options("gateway") with { ExtraArguments = ["--cookie-keys", keys] }, cts.Token);
        var jar = new CookieContainer();
        using var browser = new HttpClient(new SocketsHttpHandler { CookieContainer = jar }) { BaseAddress = gateway.AdminUri };
        var host = await WhoAsync(browser, cts.Token);
        var signedByOld = Cookie(jar, gateway);
        Assert.NotNull(AffinityCookie.Verify(signedByOld, new AffinityCookieKeys([OldKey])));

        // Step 1: the new key appended (it signs); the browser's next response re-signs its cookie with it.
        File.WriteAllText(keys, $"{OldKey}\n{NewKey}\n");
        await Eventually.TrueAsync(
            async () => await WhoAsync(browser, cts.Token) == host && Cookie(jar, gateway) != signedByOld,
            "the cookie is re-signed with the new key",
            cts.Token);
        var id = AffinityCookie.Verify(signedByOld, new AffinityCookieKeys([OldKey]));
        Assert.Equal(id, AffinityCookie.Verify(Cookie(jar, gateway), new AffinityCookieKeys([NewKey])));

        // Step 2: the old key deleted. A client still holding a cookie only the old key signed becomes someone new.
        File.WriteAllText(keys, NewKey + "\n");
        await Eventually.TrueAsync(
            async () =>
            {
                var stale = new CookieContainer();
                stale.Add(gateway.AdminUri, new Cookie(HttpRoutePlan.DefaultCookieName, signedByOld));
                using var client = new HttpClient(new SocketsHttpHandler { CookieContainer = stale }) { BaseAddress = gateway.AdminUri };
                await WhoAsync(client, cts.Token);
                // While the old key still verifies, the cookie comes back re-signed for the same id; after, a new id.
                return AffinityCookie.Verify(Cookie(stale, gateway), new AffinityCookieKeys([NewKey])) != id;
            },
            "a cookie only the deleted key signed is replaced",
            cts.Token);

        // The rotated browser is still the same user on the same host, and gets no new cookie.
        var before = Cookie(jar, gateway);
        Assert.Equal(host, await WhoAsync(browser, cts.Token));
        Assert.Equal(before, Cookie(jar, gateway));
    }

    private static async Task<string> WhoAsync(HttpClient client, CancellationToken cancellationToken) =>
        (await client.GetStringAsync(new Uri("web/whoami", UriKind.Relative), cancellationToken)).Split(' ')[0];

    private static string Cookie(CookieContainer jar, StandaloneGateway gateway) =>
        jar.GetCookies(gateway.AdminUri)[HttpRoutePlan.DefaultCookieName]?.Value ?? throw new InvalidOperationException("no affinity cookie");
}
