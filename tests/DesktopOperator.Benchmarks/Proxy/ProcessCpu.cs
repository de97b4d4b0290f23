using System.Globalization;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// CPU time a process has used, user and kernel, from <c>/proc/PID/stat</c> (fields 14 and 15, utime and stime, in
/// clock ticks of 1/100 s: Linux's USER_HZ is 100 on every architecture we run). Only the process itself, not its
/// children: both proxies are one process. Taken before and after a scenario, the difference over its units of work
/// (connections, GiB) is the figure that load from other processes on a shared machine moves least.
/// </summary>
internal readonly record struct ProcessCpu(double UserSeconds, double KernelSeconds)
{
    private const double TicksPerSecond = 100;

    /// <summary>The CPU time of <paramref name="pid"/> so far, or null when it cannot be read (the process is gone).</summary>
    public static ProcessCpu? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
        return new ProcessCpu(
            long.Parse(fields[11], CultureInfo.InvariantCulture) / TicksPerSecond,
            long.Parse(fields[12], CultureInfo.InvariantCulture) / TicksPerSecond);
    }

    public static ProcessCpu operator -(ProcessCpu after, ProcessCpu before) =>
        new(after.UserSeconds - before.UserSeconds, after.KernelSeconds - before.KernelSeconds);

    /// <summary>CPU time of the work between two readings; null when either is missing.</summary>
    public static ProcessCpu? Between(ProcessCpu? before, ProcessCpu? after) =>
        before is { } b && after is { } a ? a - b : null;
}
