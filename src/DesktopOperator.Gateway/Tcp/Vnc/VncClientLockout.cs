using System.Net;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp.Vnc;

/// <summary>
/// Per client address, the failed VNC logins in a row seen through one listener, and the addresses locked out for
/// them. A VNC server such as TigerVNC counts failed logins per source address, and behind the gateway every user
/// has the gateway's address: one user's wrong passwords would soon lock everyone out. So the gateway counts per
/// real client and refuses a client at connect, without contacting the server, once it reaches
/// <see cref="VncClientLockoutSettings.MaxFailures"/> (failures older than the window are forgotten; a successful
/// login clears the count, as it does on the server). Thread-safe; memory is bounded by <see cref="MaxTracked"/>.
/// </summary>
internal sealed partial class VncClientLockout
{
    /// <summary>Client addresses remembered at most; beyond it, stale entries are swept and new ones not tracked.</summary>
    public const int MaxTracked = 10_000;

    private readonly Dictionary<IPAddress, Entry> _clients = [];
    private readonly Lock _lock = new();
    private readonly VncClientLockoutSettings _settings;
    private readonly TcpProxyListenerSettings _listener;
    private readonly TcpProxyMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public VncClientLockout(VncClientLockoutSettings settings, TcpProxyListenerSettings listener, TcpProxyMetrics metrics, TimeProvider timeProvider, ILogger logger)
    {
        _settings = settings;
        _listener = listener;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>True while <paramref name="client"/> is locked out.</summary>
    public bool IsLockedOut(IPAddress client)
    {
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            return _clients.TryGetValue(client, out var entry) && entry.LockedUntil > now;
        }
    }

    /// <summary>Counts one connection's security outcome for <paramref name="client"/>.</summary>
    public void Record(IPAddress client, VncSecurityOutcome outcome)
    {
        if (outcome is VncSecurityOutcome.Passed)
        {
            lock (_lock)
            {
                _clients.Remove(client);
            }

            return;
        }

        if (outcome is not (VncSecurityOutcome.Failed or VncSecurityOutcome.Abandoned))
        {
            return;
        }

        _metrics.LoginFailures.Add(1, TcpProxyMetrics.WithTag(_listener, "reason", outcome == VncSecurityOutcome.Failed ? "rejected" : "abandoned"));
        var now = _timeProvider.GetUtcNow();
        int failures;
        lock (_lock)
        {
            if (!_clients.TryGetValue(client, out var entry))
            {
                if (_clients.Count >= MaxTracked && !Sweep(now))
                {
                    return;
                }

                entry = new Entry();
                _clients[client] = entry;
            }

            if (entry.Failures == 0 || now - entry.FirstFailure > _settings.Window)
            {
                entry.Failures = 0;
                entry.FirstFailure = now;
            }

            failures = ++entry.Failures;
            if (failures < _settings.MaxFailures)
            {
                return;
            }

            entry.Failures = 0;
            entry.LockedUntil = now + _settings.Backoff;
        }

        _metrics.ClientLockouts.Add(1, TcpProxyMetrics.PoolTags(_listener));
        LogLockedOut(_logger, client, _listener.Pool, _listener.Protocol, failures, _settings.Backoff.TotalSeconds);
    }

    /// <summary>Removes entries with no live lockout and no failure within the window; true when room was made.</summary>
    private bool Sweep(DateTimeOffset now)
    {
        var stale = new List<IPAddress>();
        foreach (var (address, entry) in _clients)
        {
            if (entry.LockedUntil <= now && now - entry.FirstFailure > _settings.Window)
            {
                stale.Add(address);
            }
        }

        foreach (var address in stale)
        {
            _clients.Remove(address);
        }

        return _clients.Count < MaxTracked;
    }

    [LoggerMessage(EventId = 3651, Level = LogLevel.Warning, Message = "Client {Client} locked out of pool {Pool} ({Protocol}) for {BackoffSeconds} s after {Failures} failed VNC logins in a row; the VNC server never sees its attempts meanwhile")]
    private static partial void LogLockedOut(ILogger logger, IPAddress client, string pool, string protocol, int failures, double backoffSeconds);

    private sealed class Entry
    {
        public int Failures { get; set; }

        public DateTimeOffset FirstFailure { get; set; }

        public DateTimeOffset LockedUntil { get; set; }
    }
}
