namespace DesktopOperator.Runtime.Controllers;

/// <summary>
/// Drives one object toward its desired state (controller-runtime's Reconciler). Level-based: the key says which
/// object, never what happened; read the current state from the cache. Must be idempotent.
/// <para>
/// Outcomes: return <see cref="ReconcileResult.Done"/>, or <see cref="ReconcileResult.RequeueAfter"/> when
/// waiting on time; throw for a transient failure (retried with rate-limited backoff); throw
/// <see cref="TerminalReconcileException"/> when retrying cannot help (logged, counted, not retried until the
/// object changes). The controller never calls this concurrently for the same key.
/// </para>
/// </summary>
public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}
