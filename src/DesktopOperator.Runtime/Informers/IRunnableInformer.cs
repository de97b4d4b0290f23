namespace DesktopOperator.Runtime.Informers;

/// <summary>What <see cref="SharedInformerFactory"/> needs of an informer, whatever its type.</summary>
internal interface IRunnableInformer : IInformerSync
{
    Task RunAsync(CancellationToken cancellationToken);
}
