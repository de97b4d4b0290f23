using System.Diagnostics;

namespace DesktopOperator.Gateway.Tests.Health;

internal static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds, failing with <paramref name="what"/> after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(deadline.Elapsed < limit, $"timed out after {limit} waiting for {what}");
            await Task.Delay(2);
        }
    }
}
