using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reflection;
using System.Threading.Channels;
using DesktopOperator.Kube.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Events;

/// <summary>
/// Writes events from a bounded buffer on one background loop (<see cref="RunAsync"/>), so writes are sequential
/// and in recording order. The first occurrence creates an Event named <c>{object}.{hex nanoseconds}</c>; a
/// repeat within the dedupe window merge-patches that Event's count and lastTimestamp instead (re-creating it if
/// it has expired on the server). A failed write is logged and the event dropped: events are never retried
/// at the expense of newer ones.
/// </summary>
public sealed partial class EventRecorder : IEventRecorder
{
    private static readonly Counter<long> DroppedInstrument =
        RuntimeMeter.Meter.CreateCounter<long>("event_recorder_dropped_total", description: "Events dropped because the recorder's buffer was full or the write failed");

    private readonly EventVerbs _events;
    private readonly EventRecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _pending;
    private readonly Dictionary<DedupeKey, Seen> _seen = [];
    private long _lastNanos;
    private long _dropped;

    /// <summary>On KubernetesClient's typed verbs (<c>CoreV1</c> Events).</summary>
    public EventRecorder(IKubernetes kubernetes, EventRecorderOptions options, TimeProvider? time = null, ILogger? logger = null)
        : this(new PackageEventVerbs(kubernetes), options, time, logger)
    {
    }

    /// <summary>On our <see cref="IKubernetesClient"/>.</summary>
    public EventRecorder(IKubernetesClient client, EventRecorderOptions options, TimeProvider? time = null, ILogger? logger = null)
        : this(new ClientEventVerbs(client), options, time, logger)
    {
    }

    private EventRecorder(EventVerbs events, EventRecorderOptions options, TimeProvider? time, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _events = events;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _pending = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>Events dropped so far (buffer full or write failed).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(IKubernetesObject<V1ObjectMeta> regarding, string type, string reason, string message)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        var reference = new V1ObjectReference
        {
            ApiVersion = regarding.ApiVersion ?? (regarding.GetType().GetCustomAttribute<KubernetesEntityAttribute>() is { } entity ? Entities.GroupVersion(entity) : null),
            Kind = regarding.Kind ?? regarding.GetType().GetCustomAttribute<KubernetesEntityAttribute>()?.Kind,
            NamespaceProperty = regarding.Metadata.NamespaceProperty,
            Name = regarding.Metadata.Name,
            Uid = regarding.Metadata.Uid,
            ResourceVersion = regarding.Metadata.ResourceVersion,
        };
        if (!_pending.Writer.TryWrite(new Pending(reference, type, reason, message, _time.GetUtcNow())))
        {
            CountDrop();
        }
    }

    /// <summary>Writes recorded events until cancelled; events still buffered then are dropped.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var pending in _pending.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await WriteAsync(pending, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (EventVerbs.IsWriteFailure(e))
                {
                    CountDrop();
                    LogWriteFailed(_logger, pending.Reason, pending.Regarding.Name, e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: buffered events are best-effort and dropped.
        }
    }

    private void CountDrop()
    {
        Interlocked.Increment(ref _dropped);
        DroppedInstrument.Add(1);
    }

    private static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record Pending(V1ObjectReference Regarding, string Type, string Reason, string Message, DateTimeOffset At);

    private readonly record struct DedupeKey(string? Uid, string? Kind, string? Namespace, string? Name, string Type, string Reason, string Message);

    private sealed class Seen(string eventName, string eventNamespace, int count, DateTimeOffset lastSeen)
    {
        public string EventName { get; } = eventName;

        public string EventNamespace { get; } = eventNamespace;

        public int Count { get; set; } = count;

        public DateTimeOffset LastSeen { get; set; } = lastSeen;
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Could not write event {Reason} about {Name}; dropped")]
    private static partial void LogWriteFailed(ILogger logger, string reason, string? name, Exception exception);
}
