using System.Diagnostics;

namespace DesktopOperator.Testing.Waiting;

/// <summary>Waits for a condition with a deadline instead of sleeping a guessed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static async Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"timed out waiting for: {what}");
            }

            await Task.Delay(2);
        }
    }
}
