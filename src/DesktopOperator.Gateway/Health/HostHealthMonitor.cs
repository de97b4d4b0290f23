using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Health;

/// <summary>
/// Active and passive health of every target host. One probe loop per host runs the pool's check every interval
/// (the first one after a random fraction of an interval, so hosts are not all probed at once); results and
/// the proxies' connect reports go through <see cref="ConsecutiveFailuresHealthPolicy"/>.
/// Thread-safety: every member may be called from any thread. <see cref="GetHealth"/> takes no lock.
/// <see cref="HealthChanged"/> is raised synchronously, once per transition, in order for each host, on the thread
/// that caused it (a probe loop or a proxy's report): handlers must be quick and must not block.
/// </summary>
internal sealed partial class HostHealthMonitor : IHostHealthView, IAsyncDisposable, IDisposable
{
    private readonly ConcurrentDictionary<(string Pool, string Host), HostEntry> _hosts = new();
    private readonly ConcurrentDictionary<HostEntry, byte> _running = new();
    private readonly Func<HealthCheckSettings, IHealthProbe> _probeFactory;
    private readonly TimeProvider _timeProvider;
    private readonly Func<double> _nextJitter;
    private readonly ILogger<HostHealthMonitor> _logger;
    private readonly HealthMetrics _metrics;
    private readonly Lock _updateGate = new();
    private bool _disposed;

    /// <param name="probeFactory">The probe for a target's settings (<see cref="Probes.HealthProbes.Create"/>).</param>
    /// <param name="nextJitter">Random numbers in [0, 1) that spread the first checks over an interval.</param>
    public HostHealthMonitor(
        Func<HealthCheckSettings, IHealthProbe> probeFactory,
        TimeProvider timeProvider,
        Func<double> nextJitter,
        IMeterFactory meterFactory,
        ILogger<HostHealthMonitor> logger)
    {
        _probeFactory = probeFactory;
        _timeProvider = timeProvider;
        _nextJitter = nextJitter;
        _logger = logger;
        _metrics = new HealthMetrics(meterFactory, () => _hosts.Values.Select(e => (e.Target.Pool, e.Target.Host, e.Health)));
    }

    public event EventHandler<HostHealthChangedEventArgs>? HealthChanged;

    /// <summary>Probe loops not yet finished, including those of removed hosts that are still winding down.</summary>
    internal int RunningProbeLoops => _running.Count;

    /// <summary>Unknown for a host that is not a target.</summary>
    public HostHealth GetHealth(string pool, string host) =>
        _hosts.TryGetValue((pool, host), out var entry) ? entry.Health : HostHealth.Unknown;

    public void ReportConnectFailure(string pool, string host) => Report(pool, host, HealthSignal.ConnectFailed);

    public void ReportConnectSuccess(string pool, string host) => Report(pool, host, HealthSignal.ConnectSucceeded);

    /// <summary>
    /// Replaces the set of checked hosts. New hosts start Unknown with a probe loop; removed hosts' loops stop and
    /// their state is forgotten; a host whose address, port or settings changed starts over as Unknown. Hosts
    /// that did not change keep their state and loop. A later duplicate (pool, host) replaces an earlier one.
    /// </summary>
    /// <exception cref="ArgumentException">A target's settings are invalid; nothing is changed.</exception>
    public void UpdateTargets(IEnumerable<HealthTarget> targets)
    {
        var desired = new Dictionary<(string Pool, string Host), HealthTarget>();
        foreach (var target in targets)
        {
            target.Settings.Validate();
            if (target.Port is < 1 or > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(targets), target.Port, $"{target.Pool}/{target.Host}: port must be 1..65535.");
            }
            desired[(target.Pool, target.Host)] = target;
        }

        var replaced = new Dictionary<(string Pool, string Host), HostHealth>();
        int added = 0, removed = 0;
        lock (_updateGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var (key, entry) in _hosts)
            {
                if (desired.TryGetValue(key, out var target) && target == entry.Target)
                {
                    continue;
                }

                // Once retired, the old entry raises nothing more, so the reset below is ordered after its events.
                _hosts.TryRemove(key, out _);
                var previous = entry.Retire();
                removed++;
                if (target is not null && previous != HostHealth.Unknown)
                {
                    replaced[key] = previous;
                }
            }

            foreach (var (key, target) in desired)
            {
                if (_hosts.ContainsKey(key))
                {
                    continue;
                }

                // Raised before the new entry is visible, so no check or report of it can overtake this event.
                if (replaced.TryGetValue(key, out var previous))
                {
                    OnTransition(target, previous, HostHealth.Unknown, "target changed");
                }

                var entry = new HostEntry(target);
                _hosts[key] = entry;
                _running[entry] = 0;
                entry.Loop = Task.Run(() => RunProbeLoopAsync(entry, entry.Stopping));
                added++;
            }
        }

        Log.TargetsUpdated(_logger, desired.Count, added, removed);
    }

    /// <summary>Stops every probe loop and waits for them to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        StopAll();
        await Task.WhenAll(_running.Keys.Select(e => e.Loop));
    }

    /// <summary>Stops every probe loop without waiting.</summary>
    public void Dispose() => StopAll();

    private void StopAll()
    {
        lock (_updateGate)
        {
            _disposed = true;
            foreach (var (key, entry) in _hosts)
            {
                _hosts.TryRemove(key, out _);
                entry.Retire();
            }
        }
    }

    private void Report(string pool, string host, HealthSignal signal)
    {
        if (_hosts.TryGetValue((pool, host), out var entry))
        {
            Apply(entry, signal);
        }
    }

    // The cause (a failed check's outcome and detail) goes into the transition's log line only: probes are logged at
    // Debug, so an admin at Information level sees why a host went down once per state change, not once per check.
    private void Apply(HostEntry entry, HealthSignal signal, string? cause = null)
    {
        lock (entry.Gate)
        {
            if (!entry.TryApply(signal, out var previous, out var current))
            {
                return;
            }

            // Raised under the entry's lock so each host's transitions reach handlers in order.
            if (previous != current)
            {
                OnTransition(entry.Target, previous, current, cause is null ? SignalReason(signal) : $"{SignalReason(signal)}: {cause}");
            }
        }
    }

    private void OnTransition(HealthTarget target, HostHealth previous, HostHealth current, string reason)
    {
        Log.HealthChanged(_logger, target.Pool, target.Host, previous, current, reason);
        _metrics.RecordTransition(target.Pool, target.Host, current);
        try
        {
            HealthChanged?.Invoke(this, new HostHealthChangedEventArgs(target.Pool, target.Host, previous, current));
        }
        catch (Exception ex)
        {
            // A faulty subscriber must not stop health checking or fail a proxy's report.
            Log.HealthChangedHandlerFailed(_logger, target.Pool, target.Host, ex);
        }
    }

    private static string SignalReason(HealthSignal signal) => signal switch
    {
        HealthSignal.CheckPassed => "check passed",
        HealthSignal.CheckFailed => "check failed",
        HealthSignal.ConnectFailed => "proxy connect failed",
        _ => "proxy connect succeeded",
    };
}
