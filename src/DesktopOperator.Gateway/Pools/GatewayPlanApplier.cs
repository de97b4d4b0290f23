using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Accept;
using DesktopOperator.Gateway.Tcp.Relay;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Pools;

/// <summary>
/// Puts a <see cref="GatewayPlan"/> into force: swaps the routing engine's pools, replaces the health-checked hosts,
/// and binds, rebinds or unbinds gateway ports, so a reload never drops a live connection (an unbound listener's
/// connections run on; only new connections see the new plan). Applies run one at a time. A port that cannot be
/// bound is reported in <see cref="Problems"/> and tried again at the next apply; the rest of the plan still applies.
/// </summary>
internal sealed partial class GatewayPlanApplier(
    PoolRegistry registry,
    HostHealthMonitor health,
    TcpListenerManager listeners,
    IConnectionRouter router,
    TcpProxyMetrics metrics,
    TcpProxyOptions options,
    IPAddress listenAddress,
    ILoggerFactory loggerFactory,
    TimeProvider time,
    HttpProxyConfigProvider? http = null,
    DescriptorReserve? descriptorReserve = null,
    RelayLoops? relays = null) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, TcpListenerPlan> _bound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TcpConnectionLimits> _limits = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggerFactory.CreateLogger<GatewayPlanApplier>();
    private IReadOnlyList<string> _problems = [];
    private int _applied;

    /// <summary>Why some pool, protocol or port of the last plan is not in force.</summary>
    public IReadOnlyList<string> Problems => Volatile.Read(ref _problems);

    /// <summary>True once a plan has been applied (readiness).</summary>
    public bool HasApplied => Volatile.Read(ref _applied) == 1;

    public async Task ApplyAsync(GatewayPlan plan, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var problems = new List<string>(plan.Errors);
            registry.Update(plan.Pools);
            health.UpdateTargets(plan.HealthTargets);
            http?.Update(plan.HttpRoutes, plan.Pools);
            await UnbindStaleAsync(plan, cancellationToken);
            foreach (var listener in plan.Listeners)
            {
                if (!_bound.ContainsKey(listener.Name) && await TryBindAsync(listener, cancellationToken) is { } problem)
                {
                    problems.Add(problem);
                }
            }

            foreach (var problem in problems)
            {
                LogProblem(_logger, problem);
            }

            Volatile.Write(ref _problems, problems);
            Volatile.Write(ref _applied, 1);
            LogApplied(_logger, plan.Pools.Count, _bound.Count, problems.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task UnbindStaleAsync(GatewayPlan plan, CancellationToken cancellationToken)
    {
        var desired = plan.Listeners.ToDictionary(l => l.Name, StringComparer.Ordinal);
        foreach (var (name, current) in _bound.ToList())
        {
            if (desired.TryGetValue(name, out var wanted) && wanted == current)
            {
                continue;
            }

            // Connections accepted by the old listener keep running on its handler until they end.
            await listeners.UnbindAsync(name, cancellationToken);
            _bound.Remove(name);
        }
    }

    private async Task<string?> TryBindAsync(TcpListenerPlan listener, CancellationToken cancellationToken)
    {
        var settings = listener.Settings;
        var pool = settings.Pool;
        if (!_limits.TryGetValue(pool, out var limits))
        {
            limits = new TcpConnectionLimits(options.MaxConnectionsPerPool, options.MaxConnectionsPerHost);
            _limits[pool] = limits;
        }

        var handlerOptions = listener.IdleTimeout is { } idle ? options with { IdleTimeout = idle } : options;
        var handler = new TcpProxyConnectionHandler(
            settings, handlerOptions, router, limits, metrics, loggerFactory.CreateLogger<TcpProxyConnectionHandler>(), time,
            descriptorReserve?.Guard(UpstreamDispatcher.CreateSocket), relays);
        var endPoint = new IPEndPoint(listenAddress, listener.Port);
        try
        {
            await listeners.BindAsync(listener.Name, endPoint, handler, cancellationToken);
            _bound[listener.Name] = listener;
            return null;
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidOperationException)
        {
            handler.Dispose();
            return $"{pool}: spec.protocols[{settings.Protocol}].gatewayPort: cannot listen on {endPoint}: {e.Message}";
        }
    }
}
