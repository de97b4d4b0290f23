namespace DesktopOperator.Testing.Desktops;

/// <summary>
/// A fixture's temporary folder for generated configuration and logs, and the text of its logs for failure
/// messages. Kept after the fixture is disposed when <c>KEEP_TEST_LOGS=1</c>.
/// </summary>
public static class HostLogs
{
    private const int TailChars = 6000;

    /// <summary>A fresh folder under the temp directory, named after <paramref name="prefix"/>.</summary>
    public static string CreateDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), "desktop-operator-tests", $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The last few KiB of every *.log file in <paramref name="directory"/> (DEBUG lines left out), each under its name.</summary>
    public static string Describe(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return $"(log folder {directory} is gone)";
        }

        var parts = new List<string> { $"logs in {directory}:" };
        foreach (var file in Directory.EnumerateFiles(directory, "*.log").Order(StringComparer.Ordinal))
        {
            // xrdp logs at DEBUG for the login line tests look for; its DEBUG chatter would crowd out the errors here.
            var text = string.Join('\n', Processes.ChildProcess.ReadShared(file).Split('\n')
                .Where(line => !line.Contains("[DEBUG]", StringComparison.Ordinal)));
            var tail = text.Length > TailChars ? "...\n" + text[^TailChars..] : text;
            parts.Add($"--- {Path.GetFileName(file)} ---\n{tail}");
        }

        return string.Join('\n', parts);
    }

    /// <summary>Removes <paramref name="directory"/> unless KEEP_TEST_LOGS=1 asks to keep it.</summary>
    public static void Remove(string directory)
    {
        if (Environment.GetEnvironmentVariable("KEEP_TEST_LOGS") == "1" || !Directory.Exists(directory))
        {
            return;
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process: the temp folder is cleaned by the OS later.
        }
    }
}
