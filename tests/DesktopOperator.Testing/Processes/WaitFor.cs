namespace DesktopOperator.Testing.Processes;

/// <summary>Polls a condition until it holds or a time limit passes: the way tests wait, never a fixed sleep.</summary>
public static class WaitFor
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>True once <paramref name="condition"/> holds; false when <paramref name="timeout"/> passes first.</summary>
    public static async Task<bool> ConditionAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            while (!condition())
            {
                await Task.Delay(PollInterval, limit.Token);
            }

            return true;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return condition();
        }
    }
}
