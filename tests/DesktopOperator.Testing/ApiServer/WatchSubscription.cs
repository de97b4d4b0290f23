using System.Threading.Channels;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>A live watcher's queue of changes; dispose to unregister.</summary>
internal sealed class WatchSubscription(ObjectStore store, string storageKey) : IDisposable
{
    private readonly Channel<StoredEvent> _channel = Channel.CreateUnbounded<StoredEvent>(new UnboundedChannelOptions { SingleReader = true });

    public string StorageKey { get; } = storageKey;

    public ChannelWriter<StoredEvent> Writer => _channel.Writer;

    public ChannelReader<StoredEvent> Reader => _channel.Reader;

    public void Dispose() => store.Unsubscribe(this);
}
