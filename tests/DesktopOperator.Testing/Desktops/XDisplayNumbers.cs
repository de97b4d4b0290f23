namespace DesktopOperator.Testing.Desktops;

/// <summary>
/// Picks X display numbers that look free: no /tmp/.X11-unix/XN socket, no /tmp/.XN-lock file, and not handed out
/// in this process before. Another process can still take one first, so X servers are started with a retry on a
/// collision. Thread-safe.
/// </summary>
public static class XDisplayNumbers
{
    private const int First = 100;
    private const int Last = 999;
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Handed = [];
    private static int _next = First + (Environment.ProcessId % (Last - First));

    /// <summary>The next display number that has neither a socket nor a lock file.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            for (var tries = 0; tries <= Last - First; tries++)
            {
                var candidate = _next;
                _next = _next >= Last ? First : _next + 1;
                if (!Handed.Contains(candidate) && IsFree(candidate))
                {
                    Handed.Add(candidate);
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException($"no free X display number between {First} and {Last}");
    }

    public static bool IsFree(int display) =>
        !File.Exists($"/tmp/.X11-unix/X{display}") && !File.Exists($"/tmp/.X{display}-lock");
}
