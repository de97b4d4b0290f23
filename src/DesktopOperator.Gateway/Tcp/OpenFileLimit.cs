using System.Globalization;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// The process's open-file soft limit (RLIMIT_NOFILE), read from <c>/proc/self/limits</c>. Read there rather than by
/// P/Invoke to <c>getrlimit</c>: no unsafe code and no native struct layout (rlim_t's size differs by platform), and it
/// is the file an admin reads to check the same number. The .NET runtime raises the soft limit to the hard limit at
/// start-up, so read in the process this is the limit that really applies. Null where there is no procfs (not Linux).
/// </summary>
internal static class OpenFileLimit
{
    private const string Path = "/proc/self/limits";

    public static long? Read()
    {
        try
        {
            return File.Exists(Path) ? Parse(File.ReadAllText(Path)) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The soft limit from the text of a limits file ("Max open files  20000  20000  files"); null if absent or unlimited.</summary>
    public static long? Parse(string limits)
    {
        foreach (var line in limits.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line["Max open files".Length..].TrimStart();
            var end = rest.IndexOf(' ');
            var soft = end < 0 ? rest : rest[..end];
            return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }

        return null;
    }
}
