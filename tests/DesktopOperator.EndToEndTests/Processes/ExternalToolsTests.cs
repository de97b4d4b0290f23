using DesktopOperator.Testing.Processes;

namespace DesktopOperator.EndToEndTests.Processes;

public sealed class ExternalToolsTests
{
    [Fact]
    public void Missing_UnknownTool_IsReportedWithInstallHint()
    {
        var missing = ExternalTools.Missing(["sh", "no-such-tool-xyz"]);

        Assert.Equal(["no-such-tool-xyz"], missing);
        Assert.Contains(".ci/install-tools", ExternalTools.DescribeMissing(missing), StringComparison.Ordinal);
        Assert.Throws<MissingToolException>(() => ExternalTools.Require("no-such-tool-xyz"));
    }

    [Fact]
    public void ToolFact_MissingTool_SkipsOutsideCiAndRunsUnderCi()
    {
        var fact = new ToolFactAttribute("no-such-tool-xyz");

        if (ExternalTools.IsCi)
        {
            Assert.Null(fact.Skip);
        }
        else
        {
            Assert.Contains("no-such-tool-xyz", fact.Skip, StringComparison.Ordinal);
        }
    }
}
