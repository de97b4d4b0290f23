using DesktopOperator.Api.Durations;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Pools;
using DesktopOperator.Gateway.Tcp;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Standalone;

/// <summary>
/// Standalone mode's driver: loads the manifest folder at start (the host is started only once the first plan is in
/// force, so a client never meets a half-configured gateway), re-plans on every change of the folder, and on stop
/// lets live connections finish for the drain time before they are cancelled.
/// </summary>
internal sealed partial class StandaloneGatewayService(
    StandaloneOptions options,
    TcpProxyOptions proxyOptions,
    GatewayPlanApplier applier,
    TcpListenerManager listeners,
    TimeProvider time,
    ILogger<StandaloneGatewayService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private ManifestFolder<DesktopPool>? _folder;
    private Task _lastApply = Task.CompletedTask;

    private volatile StandaloneSummary? _summary;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> ManifestErrors =>
        _folder?.Errors ?? new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Why the gateway is not ready (nothing applied yet, or <see cref="StandaloneSummary.NotReadyReason"/>), or null.</summary>
    public string? NotReadyReason => _summary is { } summary ? summary.NotReadyReason : "the manifests are not applied yet";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _folder = new ManifestFolder<DesktopPool>(options.ManifestFolder, StandalonePoolLoader.Load, time, logger, options.RescanInterval);
        _folder.Rescan();
        // A failure here fails the start: better no gateway than one that silently serves nothing.
        var plan = PlanCurrent();
        await applier.ApplyAsync(plan, cancellationToken);
        _folder.Changed += (_, _) => _lastApply = ReloadAsync(_stopping.Token);
        var summary = Summarise(plan);
        if (summary.HasProblems)
        {
            LogStartedWithProblems(logger, options.ManifestFolder, summary);
        }
        else
        {
            LogStarted(logger, options.ManifestFolder, summary);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _folder?.Dispose();
        await _stopping.CancelAsync();
        await _lastApply;
        var drainTime = Duration.Format(proxyOptions.DrainTime);
        LogDraining(logger, drainTime);
        await listeners.StopAsync(proxyOptions.DrainTime, cancellationToken);
    }

    public void Dispose()
    {
        _folder?.Dispose();
        _stopping.Dispose();
    }

    private StandaloneSummary Summarise(GatewayPlan plan)
    {
        var summary = new StandaloneSummary(plan.Pools.Count, [.. _folder!.Errors.Keys.Order(StringComparer.Ordinal)], applier.Problems);
        _summary = summary;
        return summary;
    }

    private GatewayPlan PlanCurrent() => GatewayPlanner.Plan(_folder!.Current, DesktopPoolMapper.StaticHosts);

    /// <summary>Never throws: a reload that fails leaves the previous configuration in force and says why.</summary>
    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var plan = PlanCurrent();
            await applier.ApplyAsync(plan, cancellationToken);
            var summary = Summarise(plan);
            LogReloaded(logger, summary);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the next start plans from scratch.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReloadFailed(logger, e);
        }
    }
}
