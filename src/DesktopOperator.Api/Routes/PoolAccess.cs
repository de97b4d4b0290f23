using System.Collections.Frozen;
using DesktopOperator.Api.V1Alpha1;

namespace DesktopOperator.Api.Routes;

/// <summary>
/// A pool's access rule (<c>spec.access</c>), in one place for the gateway, which checks every new connection, and the
/// SessionRoute controller, which checks every route it binds: a user is admitted when both lists are empty, when the
/// user is in <c>users</c>, or when one of the user's groups is in <c>groups</c>. Names compare ordinally, ignoring case.
/// Immutable and thread-safe; the lists are frozen once per pool version, so a check allocates nothing.
/// </summary>
public sealed class PoolAccess
{
    private readonly FrozenSet<string> _users;
    private readonly FrozenSet<string> _groups;

    public PoolAccess(IEnumerable<string>? users, IEnumerable<string>? groups)
    {
        _users = (users ?? []).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _groups = (groups ?? []).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A pool without access lists: everyone is admitted.</summary>
    public static PoolAccess Open { get; } = new(null, null);

    public IReadOnlyCollection<string> Users => _users;

    public IReadOnlyCollection<string> Groups => _groups;

    /// <summary>Neither list names anyone: everyone is admitted.</summary>
    public bool IsOpen => _users.Count == 0 && _groups.Count == 0;

    public static PoolAccess Of(AccessSpec? spec) => spec is null ? Open : new(spec.Users, spec.Groups);

    /// <summary>Whether the lists admit a user with these groups (a connection with no user passes only open pools).</summary>
    public bool Admits(string? user, IReadOnlyList<string>? groups)
    {
        if (IsOpen)
        {
            return true;
        }

        if (user is null)
        {
            return false;
        }

        if (_users.Contains(user))
        {
            return true;
        }

        if (groups is not null)
        {
            for (var i = 0; i < groups.Count; i++)
            {
                if (_groups.Contains(groups[i]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Why the lists refuse the user of a SessionRoute in pool <paramref name="poolName"/>, or null when they may admit
    /// it. A route names its user but not the user's groups (only the front end knows those, per connection), so a
    /// route is refused only when no group could admit it either: the pool lists users, the route's user is not one of
    /// them, and it lists no groups. A route keyed by client address (<see cref="AffinityKey.SourceIP"/>) names no user
    /// and is left to the gateway, which checks the user and groups of every connection (<see cref="Admits"/>).
    /// </summary>
    public string? RefusalOf(string user, AffinityKey keyKind, string poolName)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (IsOpen || keyKind != AffinityKey.User || _users.Contains(user) || _groups.Count > 0)
        {
            return null;
        }

        return $"spec.user: '{user}' may not use pool '{poolName}': not in its spec.access.users, and spec.access lists no groups";
    }
}
