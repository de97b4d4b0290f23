using System.Collections.Frozen;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Gateway.Model;

/// <summary>
/// The routing engine's immutable view of one pool (mapped from a DesktopPool or a standalone manifest). Lookups the
/// engine needs per decision (host by name, host hash) are built once when <see cref="Hosts"/> is set, so a pool is
/// cheap to route for and must not be mutated: a change is a new instance swapped into <see cref="Routing.PoolRegistry"/>.
/// </summary>
internal sealed class GatewayPool
{
    private readonly IReadOnlyList<GatewayHost> _hosts = [];
    private readonly FrozenDictionary<string, int> _hostIndex = FrozenDictionary<string, int>.Empty;
    private readonly ulong[] _hostHashes = [];
    private readonly int _sessionsPerHost = 1;

    /// <summary><c>namespace/name</c>.</summary>
    public required string Key { get; init; }

    public required IReadOnlyList<GatewayProtocol> Protocols { get; init; }

    /// <summary>Host order is meaningful: deterministic tie-breaks follow it. Names must be unique.</summary>
    public required IReadOnlyList<GatewayHost> Hosts
    {
        get => _hosts;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            var index = new Dictionary<string, int>(value.Count, StringComparer.Ordinal);
            var hashes = new ulong[value.Count];
            for (var i = 0; i < value.Count; i++)
            {
                var host = value[i];
                ArgumentOutOfRangeException.ThrowIfNegative(host.Weight, $"{nameof(Hosts)}[{i}].{nameof(GatewayHost.Weight)}");
                if (!index.TryAdd(host.Name, i))
                {
                    throw new ArgumentException($"host '{host.Name}' is given twice", nameof(Hosts));
                }

                hashes[i] = AffinityHash.Hash(host.Name);
            }

            _hosts = value;
            _hostIndex = index.ToFrozenDictionary(StringComparer.Ordinal);
            _hostHashes = hashes;
        }
    }

    /// <summary>Sessions (routes holding a slot) one host takes; at least 1.</summary>
    public int SessionsPerHost
    {
        get => _sessionsPerHost;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _sessionsPerHost = value;
        }
    }

    /// <summary>A <see cref="BalancingStrategyNames"/> value; an unknown name falls back to the default strategy.</summary>
    public string Strategy { get; init; } = BalancingStrategyNames.LeastSessions;

    /// <summary>The preferred affinity key; <see cref="AffinityKey.User"/> falls back to the source address when a protocol carries no user.</summary>
    public AffinityKey AffinityKey { get; init; } = AffinityKey.User;

    /// <summary>How long a Disconnected route keeps its host.</summary>
    public TimeSpan ResumeFor { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Open connections one user may hold in this pool; 0 = no limit. Counted on the user's route, so it applies when
    /// routes are keyed by user (a pool keyed by source address cannot tell users apart).
    /// </summary>
    public int MaxSessionsPerUser { get; init; }

    public FullPoolAction WhenFull { get; init; } = FullPoolAction.Queue;

    /// <summary>
    /// The operator may still add hosts to this pool (a template pool below <c>maxHosts</c>): with no usable host a new
    /// user waits as when every host is full (<see cref="WhenFull"/>), because the Pending route it leaves is what makes
    /// the pool scale up — from zero hosts, or while its first pods start. Static pools cannot grow: no usable host is
    /// a refusal at once.
    /// </summary>
    public bool CanGrow { get; init; }

    /// <summary>The pool's <c>spec.access</c>, the rule the SessionRoute controller applies too.</summary>
    public PoolAccess Access { get; init; } = PoolAccess.Open;

    /// <summary>Index of the host in <see cref="Hosts"/>, or -1.</summary>
    public int IndexOf(string host) => _hostIndex.TryGetValue(host, out var i) ? i : -1;

    /// <summary>The stable 64-bit hash of host <paramref name="index"/>'s name (<see cref="AffinityHash"/>).</summary>
    public ulong HostHash(int index) => _hostHashes[index];

    public GatewayProtocol? FindProtocol(string name)
    {
        for (var i = 0; i < Protocols.Count; i++)
        {
            if (string.Equals(Protocols[i].Name, name, StringComparison.Ordinal))
            {
                return Protocols[i];
            }
        }

        return null;
    }

    /// <summary>Whether the access lists admit a user with these groups (<see cref="PoolAccess.Admits"/>).</summary>
    public bool Admits(string? user, IReadOnlyList<string>? groups) => Access.Admits(user, groups);
}
