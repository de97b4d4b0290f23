using System.Collections.Concurrent;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;

namespace DesktopOperator.Gateway.Tests.Tcp;

/// <summary>
/// A hand-written router: routes to the first host not excluded (or as <see cref="Decide"/> says) and records
/// every call. <see cref="SignalChange"/> completes the pending <see cref="WaitForChangeAsync"/> calls, and a wait
/// that begins after a change the caller's last routing call did not see returns at once (like the real router's
/// recheck, without its timer): a change that lands between a Queued answer and the wait is never lost.
/// </summary>
internal sealed class FakeRouter : IConnectionRouter
{
    private readonly object _lock = new();
    private TaskCompletionSource _change = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly AsyncLocal<TaskCompletionSource?> _changeSeenByRoute = new();
    private int _sessions;

    public List<HostTarget> Hosts { get; } = [];

    /// <summary>Overrides the decision when it returns non-null.</summary>
    public Func<RouteRequest, IReadOnlyCollection<string>, RoutingDecision?>? Decide { get; set; }

    public ConcurrentQueue<RouteRequest> Requests { get; } = new();

    public ConcurrentQueue<string> ConnectFailures { get; } = new();

    public ConcurrentQueue<string> ConnectSuccesses { get; } = new();

    public int ActiveSessions => Volatile.Read(ref _sessions);

    public HostTarget AddHost(string name, int port)
    {
        var host = new HostTarget(name, "127.0.0.1", port);
        Hosts.Add(host);
        return host;
    }

    /// <summary>The TCP proxy never previews: a call is a test failure.</summary>
    public RoutingDecision Preview(RouteRequest request) => throw new NotSupportedException("the TCP proxy does not preview");

    public ValueTask<RoutingDecision> RouteAsync(RouteRequest request, IReadOnlyCollection<string> excludedHosts, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _changeSeenByRoute.Value = _change;
        }

        Requests.Enqueue(request);
        if (Decide?.Invoke(request, excludedHosts) is { } decided)
        {
            return ValueTask.FromResult(decided);
        }

        foreach (var host in Hosts)
        {
            if (!excludedHosts.Contains(host.Name))
            {
                return ValueTask.FromResult(new RoutingDecision(RoutingResult.Routed, "first usable host", host));
            }
        }

        return ValueTask.FromResult(new RoutingDecision(RoutingResult.RejectedNoHealthyHost, "no host left"));
    }

    public IDisposable BeginSession(RouteRequest request, RoutingDecision decision)
    {
        Interlocked.Increment(ref _sessions);
        return new Session(this);
    }

    public void ReportConnectFailure(string pool, string host) => ConnectFailures.Enqueue(host);

    public void ReportConnectSuccess(string pool, string host) => ConnectSuccesses.Enqueue(host);

    public Task WaitForChangeAsync(string pool, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return (_changeSeenByRoute.Value ?? _change).Task.WaitAsync(cancellationToken);
        }
    }

    public void SignalChange()
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _change;
            _change = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    private sealed class Session(FakeRouter router) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref router._sessions);
            }
        }
    }
}
