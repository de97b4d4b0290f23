using System.Diagnostics;

namespace DesktopOperator.Testing.Waiting;

/// <summary>
/// The one way tests wait: poll a condition with a deadline instead of sleeping a guessed time.
/// <c>WaitAsync</c> and <c>TrueAsync</c> throw <see cref="TimeoutException"/> naming what was awaited (a string, or a
/// <c>Func&lt;string&gt;</c> made at the timeout, for messages that carry process logs); <see cref="HoldsAsync"/>
/// answers whether the condition came true in time (for callers that report their own failure).
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>For conditions that make requests: a real cluster may answer slowly.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits for a cheap in-memory condition (polled every 2 ms).</summary>
    public static Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null) => WaitAsync(condition, () => what, timeout);

    /// <summary>
    /// As above, with a failure message made when the wait fails: pass <c>() => $"...{process.ReadOutput()}"</c> so a
    /// timeout shows the logs up to the timeout, not those from when the wait began.
    /// </summary>
    public static async Task WaitAsync(Func<bool> condition, Func<string> what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(what);
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"timed out waiting for: {what()}");
            }

            await Task.Delay(2).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for an asynchronous condition (e.g. a GET), polled every 20 ms, for <see cref="RequestTimeout"/> by default.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        TrueAsync(condition, () => what, cancellationToken, timeout);

    /// <summary>As above, with the failure message made when the wait fails (logs up to the timeout).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, Func<string> what, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(what);
        ArgumentNullException.ThrowIfNull(condition);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? RequestTimeout);
        while (!await condition().ConfigureAwait(false))
        {
            try
            {
                await Task.Delay(PollInterval, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"timed out waiting for: {what()}");
            }
        }
    }

    /// <summary>True once <paramref name="condition"/> holds; false when <paramref name="timeout"/> passes first.</summary>
    public static async Task<bool> HoldsAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            while (!condition())
            {
                await Task.Delay(PollInterval, limit.Token).ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return condition();
        }
    }
}
