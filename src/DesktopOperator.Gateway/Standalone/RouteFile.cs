using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Gateway.Standalone;

/// <summary>The JSON shape of one route file: a person can read it and, carefully, edit it.</summary>
internal sealed class RouteFile
{
    public int Version { get; set; } = 1;

    public string Pool { get; set; } = "";

    public string Key { get; set; } = "";

    public AffinityKey KeyKind { get; set; }

    public string Protocol { get; set; } = "";

    public string? Host { get; set; }

    public bool Pinned { get; set; }

    public SessionRoutePhase Phase { get; set; }

    public DateTimeOffset BoundAt { get; set; }

    public DateTimeOffset LastSeen { get; set; }

    public int ActiveConnections { get; set; }

    public static RouteFile From(RouteRecord r) => new()
    {
        Pool = r.Pool,
        Key = r.Key,
        KeyKind = r.KeyKind,
        Protocol = r.Protocol,
        Host = r.Host,
        Pinned = r.Pinned,
        Phase = r.Phase,
        BoundAt = r.BoundAt,
        LastSeen = r.LastSeen,
        ActiveConnections = r.ActiveConnections,
    };

    public RouteRecord ToRecord() =>
        new(Pool, Key, KeyKind, Protocol, Host, Pinned, Phase, BoundAt, LastSeen, ActiveConnections);
}
