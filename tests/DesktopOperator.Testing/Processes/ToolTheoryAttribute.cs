using Xunit;

namespace DesktopOperator.Testing.Processes;

/// <summary>
/// A theory that needs external tools (Debian packages, helm/kubectl in .tools/bin). When one is missing the test is skipped with a message naming
/// the package, except under CI (<c>CI=true</c>), where it runs and fails on the missing tool instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools)
    {
        Tools = tools;
        var missing = ExternalTools.Missing(tools);
        if (missing.Count > 0 && !ExternalTools.IsCi)
        {
            Skip = ExternalTools.DescribeMissing(missing);
        }
    }

    public IReadOnlyList<string> Tools { get; }
}
