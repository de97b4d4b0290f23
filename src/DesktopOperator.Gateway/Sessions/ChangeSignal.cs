namespace DesktopOperator.Gateway.Sessions;

/// <summary>
/// A broadcast "something changed": <see cref="Current"/> is a task that completes at the next <see cref="Notify"/>.
/// Waiters take the task first and re-check their condition after it completes (level-based), so coalesced
/// notifications lose nothing. Continuations run asynchronously, never inside <see cref="Notify"/>. Thread-safe.
/// <para>
/// A notification that nobody can be waiting for (no <see cref="Current"/> taken since the last one) allocates nothing:
/// the router's signal is notified on every route write, two per proxied connection, and waited on only by queued
/// clients (proxy-figures.md, Run 8).
/// </para>
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>1 when <see cref="Current"/> may have handed out <see cref="_next"/>'s task since the last swap.</summary>
    private int _taken;

    public Task Current
    {
        get
        {
            while (true)
            {
                var next = Volatile.Read(ref _next);

                // Marked, then checked that no Notify swapped meanwhile: a Notify that starts after this returns sees
                // the mark (or swapped after the check and completes this very task).
                Interlocked.Exchange(ref _taken, 1);
                if (ReferenceEquals(Volatile.Read(ref _next), next))
                {
                    return next.Task;
                }
            }
        }
    }

    public void Notify()
    {
        if (Interlocked.Exchange(ref _taken, 0) == 0)
        {
            return; // nobody took the current task since the last swap: nobody to wake
        }

        var fired = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        fired.TrySetResult();
    }
}
