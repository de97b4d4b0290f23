namespace DesktopOperator.Controllers.Tests.Pools.AtScale;

/// <summary>
/// The size of a pool at scale: <see cref="Hosts"/> Ready host pods and <see cref="Routes"/> SessionRoutes. Of the
/// hosts, 85% hold sessionsPerHost routes, 5% one fewer, 5% a single route and 5% none (idle); routes beyond those
/// sessions have ended (Expired, Failed) and count for nothing. The buffer is chosen so that the desired host count is
/// exactly <see cref="Hosts"/>: the pool starts in its steady state.
/// </summary>
internal sealed record PoolShape
{
    public int Hosts { get; init; } = 1_000;

    public int Routes { get; init; } = 10_000;

    public int SessionsPerHost { get; init; } = 10;

    public int MaxHosts { get; init; } = 1_000;

    public int Nodes { get; init; } = 50;

    public int MaxSurge { get; init; } = 1;

    /// <summary>Routes bound to host <paramref name="index"/> in the starting state.</summary>
    public int BoundTo(int index) => (index * 100 / Hosts) switch
    {
        < 85 => SessionsPerHost,
        < 90 => Math.Max(1, SessionsPerHost - 1),
        < 95 => 1,
        _ => 0,
    };

    public int Sessions => Enumerable.Range(0, Hosts).Sum(BoundTo);

    public int BufferSessions => (Hosts * SessionsPerHost) - Sessions;
}
