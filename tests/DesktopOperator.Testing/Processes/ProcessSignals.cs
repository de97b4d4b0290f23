using System.Runtime.InteropServices;

namespace DesktopOperator.Testing.Processes;

/// <summary>
/// Signals by PID and process group (kill(2)), and the descendants of a PID read from /proc. Fixtures kill what they
/// started by its id, never by name.
/// </summary>
public static partial class ProcessSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to the process group led by <paramref name="groupId"/>; false if none is left.</summary>
    public static bool SignalGroup(int groupId, int signal) => groupId > 1 && Kill(-groupId, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to one process; false if it is gone.</summary>
    public static bool Signal(int processId, int signal) => processId > 1 && Kill(processId, signal) == 0;

    /// <summary>True while a process with this id exists and is not a zombie.</summary>
    public static bool IsAlive(int processId)
    {
        var stat = ReadStat(processId);
        return stat is not null && stat.Value.State != 'Z' && stat.Value.State != 'X';
    }

    /// <summary>
    /// Every live descendant of <paramref name="processId"/> (children that left its process group included, as sshd's
    /// per-connection children do). A snapshot: processes forked after the call are not in it.
    /// </summary>
    public static IReadOnlyList<int> Descendants(int processId)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ReadStat(pid) is { } stat)
            {
                parents[pid] = stat.ParentId;
            }
        }

        var result = new List<int>();
        var frontier = new Queue<int>();
        frontier.Enqueue(processId);
        while (frontier.Count > 0)
        {
            var parent = frontier.Dequeue();
            foreach (var (pid, ppid) in parents)
            {
                if (ppid == parent && !result.Contains(pid))
                {
                    result.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return result;
    }

    /// <summary>Kills the group led by <paramref name="processId"/>, the process itself and all its descendants.</summary>
    public static void KillTree(int processId)
    {
        var descendants = Descendants(processId);
        SignalGroup(processId, SigKill);
        Signal(processId, SigKill);
        foreach (var pid in descendants)
        {
            Signal(pid, SigKill);
        }
    }

    /// <summary>Resident set size (VmRSS) of a process in bytes, from /proc/PID/status; null when it is gone.</summary>
    public static long? ResidentBytes(int processId)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{processId}/status");
        }
        catch (IOException)
        {
            return null;
        }

        foreach (var line in lines)
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }

    /// <summary>
    /// Proportional set size (Pss, /proc/PID/smaps_rollup) in bytes: resident memory with shared pages divided among
    /// the processes sharing them, so the sum over forked processes does not count shared libraries N times.
    /// </summary>
    public static long? ProportionalBytes(int processId)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{processId}/smaps_rollup");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        foreach (var line in lines)
        {
            if (line.StartsWith("Pss:", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }

    private static (char State, int ParentId)? ReadStat(int processId)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{processId}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so parse from the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 4 >= text.Length)
        {
            return null;
        }

        var fields = text[(close + 2)..].Split(' ');
        return int.TryParse(fields[1], out var ppid) ? (fields[0][0], ppid) : null;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
