namespace DesktopOperator.Runtime.Informers;

/// <summary>The sync state of an informer, whatever its type, so a controller can wait for all of its caches.</summary>
public interface IInformerSync
{
    bool HasSynced { get; }

    Task WaitForSyncAsync(CancellationToken cancellationToken);
}
