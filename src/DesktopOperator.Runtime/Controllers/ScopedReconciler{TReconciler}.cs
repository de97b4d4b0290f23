using Microsoft.Extensions.DependencyInjection;

namespace DesktopOperator.Runtime.Controllers;

/// <summary>Resolves <typeparamref name="TReconciler"/> in a fresh DI scope for every reconcile, so no state outlives one pass.</summary>
public sealed class ScopedReconciler<TReconciler>(IServiceScopeFactory scopes) : IReconciler
    where TReconciler : IReconciler
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await scope.ServiceProvider.GetRequiredService<TReconciler>().ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }
}
