using System.Runtime.InteropServices;

namespace DesktopOperator.Benchmarks.Pools;

/// <summary>
/// CPU time of the calling thread in nanoseconds, from <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c> (the scheduler's
/// own count, brought up to date by the call; <c>/proc/thread-self/schedstat</c> lags by up to a tick). On a shared
/// machine this moves far less with other processes' load than wall time does; it counts only work done on this
/// thread (a reconcile over in-memory caches runs synchronously on the caller's thread, which
/// <see cref="ReconcileSample"/> checks).
/// </summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    public static long Nanoseconds()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
}
