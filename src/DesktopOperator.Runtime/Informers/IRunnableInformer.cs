namespace DesktopOperator.Runtime.Informers;

/// <summary>What <see cref="SharedInformerFactory"/> needs of an informer, whatever its type.</summary>
internal interface IRunnableInformer
{
    bool HasSynced { get; }

    Task RunAsync(CancellationToken cancellationToken);

    Task WaitForSyncAsync(CancellationToken cancellationToken);
}
