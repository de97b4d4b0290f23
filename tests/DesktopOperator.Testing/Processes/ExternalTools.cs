namespace DesktopOperator.Testing.Processes;

/// <summary>
/// Finds the tools tests drive (Xvnc, sshd, xrdp, xfreerdp, haproxy, promtool, helm, ...) on PATH, in the sbin
/// folders and in <c>&lt;repo&gt;/.tools/bin</c> (helm, kubectl and tsc from <c>.ci/install-tools</c>). A missing tool is reported
/// with the package that carries it, so a skipped or failed test says what to install.
/// </summary>
public static class ExternalTools
{
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/sbin", "/usr/local/sbin"];

    /// <summary>Debian package per tool, for messages; every one of them is installed by <c>.ci/install-tools</c>.</summary>
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["Xvnc"] = "tigervnc-standalone-server",
        ["Xvfb"] = "xvfb",
        ["sshd"] = "openssh-server",
        ["ssh"] = "openssh-client",
        ["ssh-keygen"] = "openssh-client",
        ["xrdp"] = "xrdp",
        ["xfreerdp"] = "freerdp2-x11",
        ["vncsnapshot"] = "vncsnapshot",
        ["haproxy"] = "haproxy",
        ["socat"] = "socat",
        ["setsid"] = "util-linux",
        ["promtool"] = "prometheus",
        ["helm"] = "none: .ci/install-tools unpacks it into <repo>/.tools/bin",
        ["kubectl"] = "none: .ci/install-tools unpacks it into <repo>/.tools/bin",
        ["tsc"] = "none: .ci/install-tools installs it (npm typescript, with @grafana/schema) into <repo>/.tools",
        ["node"] = "nodejs",
    };

    /// <summary>True when the environment says this is CI (<c>CI=true</c>): there a missing tool fails instead of skipping.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of <paramref name="name"/> from PATH (plus the sbin folders), or null.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories).Append(RepositoryPaths.PathOf(".tools", "bin")))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The full path of <paramref name="name"/>; throws <see cref="MissingToolException"/> when absent.</summary>
    public static string Require(string name) => Find(name) ?? throw new MissingToolException(name, DescribeMissing([name]));

    /// <summary>The tools of <paramref name="names"/> that are not installed.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<string> names) => [.. names.Where(n => Find(n) is null)];

    /// <summary>"tool X not found (Debian package Y; run .ci/install-tools)" for each missing tool.</summary>
    public static string DescribeMissing(IEnumerable<string> missing) =>
        string.Join("; ", missing.Select(m =>
            $"tool '{m}' not found (Debian package {Packages.GetValueOrDefault(m, m)}; run .ci/install-tools)"));
}
