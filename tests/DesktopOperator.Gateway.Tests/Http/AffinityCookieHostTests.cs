using System.Buffers.Text;
using System.Text;
using DesktopOperator.Gateway.Http;
using Microsoft.AspNetCore.Http;

namespace DesktopOperator.Gateway.Tests.Http;

/// <summary>Cookies that name the host a request without a route went to: signed with the id, read back, never chosen by a client.</summary>
public sealed class AffinityCookieHostTests
{
    private const string OldKey = "old-key-0123456789-0123456789-0123456789";
    private const string NewKey = "new-key-0123456789-0123456789-0123456789";
    private const string Id = "anon-00112233445566778899aabbccddeeff";
    private static readonly AffinityCookieKeys Keys = new([NewKey]);

    [Theory]
    [InlineData("h1")]
    [InlineData("desk-0.desktops.svc")]
    [InlineData("10.0.0.7")]
    public void Read_ReturnsTheSignedIdAndHost(string host)
    {
        var value = AffinityCookie.Sign(Id, host, Keys);

        Assert.Equal((Id, host), AffinityCookie.Read(value, Keys, out var byNewest));
        Assert.True(byNewest);
        Assert.Equal(Id, AffinityCookie.Verify(value, Keys));
    }

    [Fact]
    public void Read_AnIdOnlyCookie_StillVerifies_WithNoHost()
    {
        var value = AffinityCookie.Sign(Id, Keys);

        Assert.Equal((Id, (string?)null), AffinityCookie.Read(value, Keys, out _));
    }

    [Fact]
    public void Read_RefusesAChangedHost_AnAddedHost_AndARemovedHost()
    {
        var signed = AffinityCookie.Sign(Id, "h1", Keys);
        var signature = signed[signed.LastIndexOf('.')..];
        var idOnly = AffinityCookie.Sign(Id, Keys);

        Assert.Null(AffinityCookie.Read($"{Id}.{Encode("h2")}{signature}", Keys, out _));
        Assert.Null(AffinityCookie.Read($"{Id}.{Encode("h1")}{idOnly[idOnly.LastIndexOf('.')..]}", Keys, out _));
        Assert.Null(AffinityCookie.Read(Id + signature, Keys, out _));
        Assert.Null(AffinityCookie.Read($"{Id}.!!{signature}", Keys, out _));
        Assert.Null(AffinityCookie.Read($"{Id}.{signature}", Keys, out _));
    }

    [Fact]
    public void Resolve_HostCookieSignedByAnOlderKey_KeepsIdAndHost_AndReSignsWithTheNewest()
    {
        var rotated = new AffinityCookieKeys([OldKey, NewKey]);
        var old = AffinityCookie.Sign(Id, "h2", new AffinityCookieKeys([OldKey]));

        var identity = HttpIdentity.Resolve(Request(old), "X-Forwarded-User", "c", new HttpGatewayOptions(), rotated, _ => throw new InvalidOperationException("no new id"));

        Assert.Equal((Id, "h2", false), (identity.User, identity.CookieHost, identity.Minted));
        Assert.Equal((Id, "h2"), AffinityCookie.Read(identity.NewCookieValue, Keys, out _));
    }

    [Fact]
    public void Resolve_NoCookie_MintsAnId_WhoseCookieNamesTheHostItIsGiven()
    {
        var identity = HttpIdentity.Resolve(new DefaultHttpContext(), "X-Forwarded-User", "c", new HttpGatewayOptions(), Keys, b => b.Fill(1));

        Assert.True(identity.Minted);
        var placed = identity.WithHost("h1", Keys);
        Assert.Equal((identity.User!, "h1"), AffinityCookie.Read(placed.NewCookieValue, Keys, out _));
    }

    private static string Encode(string host) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(host));

    private static DefaultHttpContext Request(string cookie)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = $"c={cookie}";
        return context;
    }
}
