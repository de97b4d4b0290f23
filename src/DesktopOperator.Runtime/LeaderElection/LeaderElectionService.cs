using Microsoft.Extensions.Hosting;

namespace DesktopOperator.Runtime.LeaderElection;

/// <summary>Runs a <see cref="LeaderElector"/> for the host's lifetime; stopping the host releases the Lease.</summary>
public sealed class LeaderElectionService(LeaderElector elector) : BackgroundService
{
    public bool IsLeader => elector.IsLeader;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => elector.RunAsync(stoppingToken);
}
