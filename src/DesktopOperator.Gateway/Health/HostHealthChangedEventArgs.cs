namespace DesktopOperator.Gateway.Health;

internal sealed class HostHealthChangedEventArgs(string pool, string host, HostHealth previous, HostHealth current) : EventArgs
{
    public string Pool { get; } = pool;

    public string Host { get; } = host;

    public HostHealth Previous { get; } = previous;

    public HostHealth Current { get; } = current;
}
