using System.Net;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Time;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Gateway.Tests.Http;

/// <summary>Rotating the cookie keys file while the gateway runs logs nobody out.</summary>
public sealed class AffinityCookieRotationTests : IDisposable
{
    private const string OldKey = "old-key-0123456789-0123456789-0123456789";
    private const string NewKey = "new-key-0123456789-0123456789-0123456789";
    private const string CookieName = "desktop-affinity";
    private readonly string _folder = HostLogs.CreateDirectory("cookie-keys");
    private readonly ManualTimeProvider _time = new();

    private string KeysPath => Path.Combine(_folder, "cookie-keys");

    [Fact]
    public void Current_KeyAppendedToTheFile_SignsAfterTheCheckInterval_OldKeyStillVerifies()
    {
        File.WriteAllText(KeysPath, OldKey + "\n");
        var file = new AffinityCookieKeyFile(KeysPath, AffinityCookieKeys.Load(KeysPath), _time, NullLogger<AffinityCookieKeyFile>.Instance);
        var issuedBefore = AffinityCookie.Sign("anon-1", file.Current);

        File.WriteAllText(KeysPath, $"{OldKey}\n{NewKey}\n");
        _time.Advance(TimeSpan.FromSeconds(1));
        var rotated = file.Current;

        Assert.Equal(2, rotated.All.Count);
        Assert.Equal("anon-1", AffinityCookie.Verify(issuedBefore, rotated, out var byNewest));
        Assert.False(byNewest);
        Assert.Equal("anon-2", AffinityCookie.Verify(AffinityCookie.Sign("anon-2", rotated), new AffinityCookieKeys([NewKey])));
    }

    [Fact]
    public void Current_FileChangedToNoUsableKey_KeepsTheKeysInForce()
    {
        File.WriteAllText(KeysPath, OldKey + "\n");
        var file = new AffinityCookieKeyFile(KeysPath, AffinityCookieKeys.Load(KeysPath), _time, NullLogger<AffinityCookieKeyFile>.Instance);

        File.WriteAllText(KeysPath, "short\n");
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("anon-1", AffinityCookie.Verify(AffinityCookie.Sign("anon-1", new AffinityCookieKeys([OldKey])), file.Current));
    }

    [Fact]
    public void Resolve_CookieSignedByAnOlderKey_KeepsTheUser_AndReSignsWithTheNewest()
    {
        var rotated = new AffinityCookieKeys([OldKey, NewKey]);
        var old = AffinityCookie.Sign("anon-1", new AffinityCookieKeys([OldKey]));

        var identity = HttpIdentity.Resolve(Request(old), "X-Forwarded-User", CookieName, new HttpGatewayOptions(), rotated, _ => throw new InvalidOperationException("no new id"));

        Assert.Equal("anon-1", identity.User);
        Assert.NotNull(identity.NewCookieValue);
        Assert.Equal("anon-1", AffinityCookie.Verify(identity.NewCookieValue, new AffinityCookieKeys([NewKey])));
    }

    [Fact]
    public void Resolve_CookieSignedByTheNewestKey_SetsNoCookie()
    {
        var rotated = new AffinityCookieKeys([OldKey, NewKey]);

        var identity = HttpIdentity.Resolve(
            Request(AffinityCookie.Sign("anon-1", rotated)), "X-Forwarded-User", CookieName, new HttpGatewayOptions(), rotated, _ => throw new InvalidOperationException("no new id"));

        Assert.Equal("anon-1", identity.User);
        Assert.Null(identity.NewCookieValue);
    }

    [Fact]
    public async Task Proxy_CookieSignedByAnOlderKey_KeepsItsRoute_AndComesBackSignedByTheNewest()
    {
        await using var proxy = await HttpProxyHarness.StartAsync(keys: [OldKey, HttpProxyHarness.Secret]);
        const string Id = AffinityCookie.IdPrefix + "00112233445566778899aabbccddeeff";
        var jar = new CookieContainer();
        jar.Add(proxy.Address, new Cookie(HttpRoutePlan.DefaultCookieName, AffinityCookie.Sign(Id, new AffinityCookieKeys([OldKey]))));
        using var client = proxy.NewClient(jar);

        using var response = await client.GetAsync(new Uri("desk/whoami", UriKind.Relative));

        response.EnsureSuccessStatusCode();
        Assert.Equal(Id, Assert.Single(proxy.Routes).Key);
        var reissued = jar.GetCookies(proxy.Address)[HttpRoutePlan.DefaultCookieName]!.Value;
        Assert.Equal(Id, AffinityCookie.Verify(reissued, new AffinityCookieKeys([HttpProxyHarness.Secret])));
    }

    private static DefaultHttpContext Request(string cookie)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = $"{CookieName}={cookie}";
        return context;
    }

    public void Dispose() => HostLogs.Remove(_folder);
}
