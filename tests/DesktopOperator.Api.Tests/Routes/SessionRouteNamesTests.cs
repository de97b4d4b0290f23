using System.Text.RegularExpressions;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.Tests.Routes;

public sealed class SessionRouteNamesTests
{
    [Theory]
    [InlineData("vnc", "alice", "vnc-alice-")]
    [InlineData("rdp-pool", "Alice.Smith@EXAMPLE.com", "rdp-pool-alice-smith-example-com-")]
    [InlineData("vnc", "192.0.2.7", "vnc-192-0-2-7-")]
    [InlineData("vnc", "2001:db8::1", "vnc-2001-db8-1-")]
    [InlineData("vnc", "@@@", "vnc-")]
    public void For_ReadablePrefixThenHash(string pool, string key, string prefix)
    {
        var name = SessionRouteNames.For(pool, key);

        Assert.StartsWith(prefix, name, StringComparison.Ordinal);
        Assert.Equal(prefix.Length + 10, name.Length);
        Assert.Matches(Patterns.Dns1123Label, name);
    }

    [Fact]
    public void For_SameInput_SameName()
    {
        Assert.Equal(SessionRouteNames.For("vnc", "alice"), SessionRouteNames.For("vnc", "alice"));
    }

    [Theory]
    [InlineData("a-b", "c", "a", "b-c")]
    [InlineData("vnc", "Alice", "vnc", "alice")]
    [InlineData("vnc", "a.b", "vnc", "a-b")]
    public void For_InputsThatLookAlike_DistinctNames(string pool1, string key1, string pool2, string key2)
    {
        Assert.NotEqual(SessionRouteNames.For(pool1, key1), SessionRouteNames.For(pool2, key2));
    }

    [Fact]
    public void For_VeryLongPoolAndKey_ValidLabelWithinMaxLength()
    {
        var longPool = new string('p', 253);
        var longKey = new string('k', 256) + "-";

        var name = SessionRouteNames.For(longPool, longKey);

        Assert.True(name.Length <= SessionRouteNames.MaxLength, name);
        Assert.Matches(Patterns.Dns1123Label, name);
        Assert.NotEqual(name, SessionRouteNames.For(longPool, longKey + "x"));
    }

    [Fact]
    public void For_RandomKeys_AlwaysValidLabels()
    {
        var random = new Random(12);
        for (var i = 0; i < 500; i++)
        {
            var chars = new char[random.Next(1, 300)];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = (char)random.Next(32, 0x2FF);
            }

            var name = SessionRouteNames.For("pool-" + i, new string(chars));

            Assert.True(name.Length <= SessionRouteNames.MaxLength && Regex.IsMatch(name, Patterns.Dns1123Label), name);
        }
    }
}
