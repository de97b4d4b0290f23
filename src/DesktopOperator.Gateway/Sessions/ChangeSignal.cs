namespace DesktopOperator.Gateway.Sessions;

/// <summary>
/// A broadcast "something changed": <see cref="Current"/> is a task that completes at the next <see cref="Notify"/>.
/// Waiters take the task first and re-check their condition after it completes (level-based), so coalesced
/// notifications lose nothing. Continuations run asynchronously, never inside <see cref="Notify"/>. Thread-safe.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Current => Volatile.Read(ref _next).Task;

    public void Notify()
    {
        var fired = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        fired.TrySetResult();
    }
}
