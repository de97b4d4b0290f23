using Microsoft.Extensions.Hosting;

namespace DesktopOperator.Runtime.Events;

/// <summary>Runs an <see cref="EventRecorder"/>'s write loop for the host's lifetime.</summary>
public sealed class EventRecorderService(EventRecorder recorder) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => recorder.RunAsync(stoppingToken);
}
