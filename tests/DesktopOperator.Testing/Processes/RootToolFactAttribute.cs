using Xunit;
using DesktopOperator.Testing.Desktops;

namespace DesktopOperator.Testing.Processes;

/// <summary>
/// A <see cref="ToolFactAttribute"/> that also needs root (it creates local accounts): skipped with that reason when
/// the tests do not run as root (CI runs them as root). Missing tools skip it outside CI and fail it under CI.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RootToolFactAttribute : FactAttribute
{
    public RootToolFactAttribute(params string[] tools)
    {
        Tools = tools;
        var missing = ExternalTools.Missing(tools);
        if (!LocalAccount.CanCreate)
        {
            Skip = "needs root: the test creates and deletes a local account (useradd/userdel)";
        }
        else if (missing.Count > 0 && !ExternalTools.IsCi)
        {
            Skip = ExternalTools.DescribeMissing(missing);
        }
    }

    public IReadOnlyList<string> Tools { get; }
}
