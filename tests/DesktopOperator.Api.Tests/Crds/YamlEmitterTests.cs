using DesktopOperator.Api.Crds;
using YamlDotNet.RepresentationModel;

namespace DesktopOperator.Api.Tests.Crds;

public sealed class YamlEmitterTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("true", "'true'")]
    [InlineData("No", "'No'")]
    [InlineData("5m", "'5m'")]
    [InlineData("10", "'10'")]
    [InlineData("a: b", "'a: b'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("-x", "'-x'")]
    [InlineData("x #y", "'x #y'")]
    [InlineData("", "''")]
    [InlineData("two\nlines", "\"two\\nlines\"")]
    public void Scalar_String_QuotesOnlyWhenNeeded(string value, string expected)
    {
        Assert.Equal(expected, YamlEmitter.Scalar(value));
    }

    [Fact]
    public void Write_TrickyStrings_ReadBackUnchanged()
    {
        string[] values = ["true", "null", "~", "5m", "0x10", "1e3", "a: b", "[x]", "{x}", "*a", "&a", "!t", "%x", "@x", "`x",
            "'q'", "\"d\"", "x #y", "trailing ", " leading", "self.kind != 'Http' || has(self.path)", "^[a-z]+$", "tab\there", "ünï"];
        var root = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            root[$"k{i:D2}"] = values[i];
        }

        root["list"] = values.Cast<object?>().ToList();

        var stream = new YamlStream();
        stream.Load(new StringReader(YamlEmitter.Write(root)));
        var map = (YamlMappingNode)stream.Documents[0].RootNode;

        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i], ((YamlScalarNode)map.Children[new YamlScalarNode($"k{i:D2}")]).Value);
        }

        Assert.Equal(values, ((YamlSequenceNode)map.Children[new YamlScalarNode("list")]).Children.Select(n => ((YamlScalarNode)n).Value));
    }

    [Fact]
    public void Write_NestedMapsAndLists_UsesBlockStyle()
    {
        var inner = new SortedDictionary<string, object?>(StringComparer.Ordinal) { ["b"] = 2, ["a"] = true };
        var root = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["list"] = new List<object?> { inner, "x" },
            ["empty"] = new SortedDictionary<string, object?>(),
            ["none"] = new List<object?>(),
        };

        Assert.Equal("empty: {}\nlist:\n- a: true\n  b: 2\n- x\nnone: []\n", YamlEmitter.Write(root));
    }
}
