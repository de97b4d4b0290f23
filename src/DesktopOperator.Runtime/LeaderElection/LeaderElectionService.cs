using Microsoft.Extensions.Hosting;

namespace DesktopOperator.Runtime.LeaderElection;

/// <summary>
/// Runs a <see cref="LeaderElector"/> for the host's lifetime; stopping the host releases the Lease. When the
/// leader's work fails, the elector releases the Lease and this service records <see cref="Failure"/>, stops the
/// application (<paramref name="lifetime"/>, when given) and faults: the program should then exit non-zero
/// (e.g. <c>return service.Failure is null ? 0 : 1;</c> after the host stopped).
/// </summary>
public sealed class LeaderElectionService(LeaderElector elector, IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    public bool IsLeader => elector.IsLeader;

    /// <summary>Set when leading ended because the leader's work failed.</summary>
    public LeaderWorkFailedException? Failure { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await elector.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (LeaderWorkFailedException e)
        {
            Failure = e;
            lifetime?.StopApplication();
            throw;
        }
    }
}
