using DesktopOperator.Gateway.Http;

namespace DesktopOperator.Gateway.Tests.Http;

public sealed class AffinityCookieTests
{
    private const string OldKey = "old-key-0123456789-0123456789-0123456789";
    private const string NewKey = "new-key-0123456789-0123456789-0123456789";

    [Fact]
    public void Verify_ReturnsTheSignedId()
    {
        var keys = new AffinityCookieKeys([NewKey]);
        var id = AffinityCookie.NewId(b => b.Fill(7));
        Assert.Equal("anon-07070707070707070707070707070707", id);
        Assert.Equal(id, AffinityCookie.Verify(AffinityCookie.Sign(id, keys), keys));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("anon-abc")]
    [InlineData("alice.c2lnbmF0dXJl")]
    [InlineData("anon-abc.!!!")]
    public void Verify_RefusesMalformedValues(string? value) => Assert.Null(AffinityCookie.Verify(value, new AffinityCookieKeys([NewKey])));

    [Fact]
    public void Verify_RefusesAChangedIdOrSignature()
    {
        var keys = new AffinityCookieKeys([NewKey]);
        var value = AffinityCookie.Sign("anon-0001", keys);
        Assert.Null(AffinityCookie.Verify("anon-0002" + value[value.LastIndexOf('.')..], keys));
        var flipped = value[..^2] + (value[^2] == 'A' ? 'B' : 'A') + value[^1];
        Assert.Null(AffinityCookie.Verify(flipped, keys));
    }

    [Fact]
    public void Rotation_NewestKeySigns_EveryKeyVerifies_ARemovedKeyNoLonger()
    {
        var before = new AffinityCookieKeys([OldKey]);
        var rotated = new AffinityCookieKeys([OldKey, NewKey]);
        var issuedBefore = AffinityCookie.Sign("anon-1", before);
        var issuedAfter = AffinityCookie.Sign("anon-2", rotated);

        Assert.Equal("anon-1", AffinityCookie.Verify(issuedBefore, rotated));
        Assert.Equal("anon-2", AffinityCookie.Verify(issuedAfter, new AffinityCookieKeys([NewKey])));
        Assert.Null(AffinityCookie.Verify(issuedAfter, before));
        Assert.Null(AffinityCookie.Verify(issuedBefore, new AffinityCookieKeys([NewKey])));
    }

    [Fact]
    public void Load_NamesTheFileAndLine_OfAShortKey()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["# comment", "", "short"]);
            var error = Assert.Throws<InvalidDataException>(() => AffinityCookieKeys.Load(path));
            Assert.Contains($"{path}:3:", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadOrCreate_WritesOneKey_AndReadsTheSameOneLater()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cookie-keys-{Guid.NewGuid():N}");
        try
        {
            var created = AffinityCookieKeys.LoadOrCreate(path);
            var value = AffinityCookie.Sign("anon-1", created);
            Assert.Equal("anon-1", AffinityCookie.Verify(value, AffinityCookieKeys.LoadOrCreate(path)));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
