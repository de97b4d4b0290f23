using System.Buffers;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Gateway.Routing;

/// <summary>
/// The routing decision, pure: from a pool snapshot, its routes, host health and a request it returns where the
/// request goes and why. No I/O and no clock; the only state it touches is <see cref="IBalancingState"/> (round-robin
/// position, randomness), so the same inputs and seed give the same decision. Rules, in order:
/// unknown pool or protocol; access lists; the user's open-connection limit; a requested host; the key's live route
/// (kept while its host is usable, even draining; its host read by <see cref="RouteHosts"/>); otherwise a new host among usable hosts with a free slot: the
/// request's preferred host when it is one of them, else by the pool's strategy; none free → queue or reject per <see cref="GatewayPool.WhenFull"/>; none usable → no healthy host.
/// A host's sessions are the routes holding a slot on it (Bound, Active, Disconnected); capacity is
/// <see cref="GatewayPool.SessionsPerHost"/> for every host (weights share load, they do not raise capacity).
/// </summary>
internal static class RoutingEngine
{
    private const int StackHosts = 64;

    public static RoutingDecision Decide(
        GatewayPool? pool,
        IReadOnlyList<RouteRecord> routes,
        IHostHealthView health,
        RouteRequest request,
        IReadOnlyCollection<string> excludedHosts,
        IBalancingState state)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(excludedHosts);
        ArgumentNullException.ThrowIfNull(state);
        if (pool is null || !string.Equals(pool.Key, request.Pool, StringComparison.Ordinal))
        {
            return new(RoutingResult.RejectedUnknownPool, $"no pool '{request.Pool}'");
        }

        var protocol = pool.FindProtocol(request.Protocol);
        if (protocol is null)
        {
            return new(RoutingResult.RejectedUnknownPool, $"pool '{pool.Key}' has no protocol '{request.Protocol}'");
        }

        if (!pool.Admits(request.User, request.Groups))
        {
            return new(RoutingResult.RejectedNotAllowed, request.User is null
                ? "the pool admits listed users and groups only, and the connection carries no user"
                : $"user '{request.User}' is not in the pool's access lists");
        }

        var (_, key) = AffinityKeyOf(pool, request);
        var hostCount = pool.Hosts.Count;
        var rented = 2 * hostCount > StackHosts ? ArrayPool<int>.Shared.Rent(2 * hostCount) : null;
        Span<int> buffer = rented is null ? stackalloc int[StackHosts] : rented;
        try
        {
            var sessions = buffer[..hostCount];
            sessions.Clear();
            var input = new DecisionInput(pool, protocol, health, request, excludedHosts, state, key);
            return Decide(input, routes, sessions, buffer.Slice(hostCount, hostCount));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The route key of a request: the user when the pool keys by user and the protocol carried one, otherwise the
    /// client address (IPv4-mapped IPv6 addresses folded to IPv4, so dual-stack listeners agree).
    /// </summary>
    public static (AffinityKey Kind, string Key) AffinityKeyOf(GatewayPool pool, RouteRequest request)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(request);
        return RouteLifecycle.AffinityKeyOf(pool.AffinityKey, request.User, request.ClientAddress);
    }

    private static RoutingDecision Decide(in DecisionInput input, IReadOnlyList<RouteRecord> routes, Span<int> sessions, Span<int> candidates)
    {
        var pool = input.Pool;
        var request = input.Request;
        RouteRecord? existing = null;
        var userConnections = 0;

        // First pass, ordinal compares only: the key's route and the user's open connections. Counting sessions per
        // host (a host lookup per route) waits until a new host may be needed, so a returning user, the common case
        // and HTTP's per-request case, costs one cheap scan.
        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            if (existing is null && string.Equals(route.Key, input.Key, StringComparison.Ordinal))
            {
                existing = route;
            }

            if (request.User is not null && route.KeyKind == AffinityKey.User
                && string.Equals(route.Key, request.User, StringComparison.Ordinal))
            {
                userConnections += route.ActiveConnections;
            }
        }

        if (pool.MaxSessionsPerUser > 0 && request.User is not null && userConnections >= pool.MaxSessionsPerUser)
        {
            return new(RoutingResult.RejectedFull,
                $"user '{request.User}' already has {userConnections} open sessions (the pool allows {pool.MaxSessionsPerUser})",
                RouteKey: input.Key);
        }

        // The live route's host as the controller reads it (RouteHosts): a re-pin to an unusable host is not taken, and a
        // host replaced by another pod of its name (another uid) is gone (index -1).
        var (liveHost, index) = existing is not null && RouteLifecycle.HoldsSlot(existing.Phase) ? RouteHosts.Resolve(pool, existing) : (null, -1);
        if (request.RequestedHost is { } requested)
        {
            return DecideRequested(input, routes, requested, index >= 0 ? liveHost : null, sessions);
        }

        string? moved = null;
        if (liveHost is not null)
        {
            // A live route keeps its host while that host is usable for an EXISTING session: a draining (or
            // weight-0) host still takes back its returning users; only new sessions avoid it.
            var usability = HostUsabilityRules.Check(pool, index, input.Health, input.ExcludedHosts, newSession: false);
            if (usability == HostUsability.Usable)
            {
                return Routed(input, index, newRoute: false, "existing route");
            }

            var why = $"host '{liveHost}' {HostUsabilityRules.Describe(usability)}";
            if (!RouteLifecycle.MayMove(existing!.Pinned))
            {
                // A pinned route is the user's or an admin's explicit choice: never move it silently.
                return new(RoutingResult.RejectedNoHealthyHost, $"pinned {why}", RouteKey: input.Key);
            }

            moved = why;
        }

        return DecideNew(input, routes, sessions, candidates, moved);
    }

    private static RoutingDecision DecideRequested(
        in DecisionInput input, IReadOnlyList<RouteRecord> routes, string requested, string? liveHost, Span<int> sessions)
    {
        var pool = input.Pool;
        var index = pool.IndexOf(requested);
        var own = string.Equals(liveHost, requested, StringComparison.Ordinal);
        var usability = HostUsabilityRules.Check(pool, index, input.Health, input.ExcludedHosts, newSession: !own);
        if (usability != HostUsability.Usable)
        {
            return new(RoutingResult.RejectedNoHealthyHost,
                $"requested host '{requested}' {HostUsabilityRules.Describe(usability)}", RouteKey: input.Key);
        }

        if (own)
        {
            return Routed(input, index, newRoute: false, "existing route to the requested host");
        }

        CountSessions(pool, routes, sessions);
        if (sessions[index] >= pool.SessionsPerHost)
        {
            return Full(input, $"requested host '{requested}' is full ({sessions[index]}/{pool.SessionsPerHost} sessions)");
        }

        return Routed(input, index, newRoute: true, "new route to the requested host");
    }

    private static RoutingDecision DecideNew(
        in DecisionInput input, IReadOnlyList<RouteRecord> routes, Span<int> sessions, Span<int> candidates, string? moved)
    {
        var pool = input.Pool;
        CountSessions(pool, routes, sessions);
        var count = 0;
        var usable = 0;
        for (var i = 0; i < pool.Hosts.Count; i++)
        {
            if (HostUsabilityRules.Check(pool, i, input.Health, input.ExcludedHosts, newSession: true) != HostUsability.Usable)
            {
                continue;
            }

            usable++;
            if (sessions[i] < pool.SessionsPerHost)
            {
                candidates[count++] = i;
            }
        }

        if (count == 0)
        {
            var none = $"none of the pool's {pool.Hosts.Count} hosts is ready, healthy, not draining and not failed";
            return usable > 0 ? Full(input, $"all {usable} usable hosts are full ({pool.SessionsPerHost} sessions each)")
                : pool.CanGrow ? Full(input, none + "; the pool may still add hosts")
                : new(RoutingResult.RejectedNoHealthyHost, none, RouteKey: input.Key);
        }

        if (moved is null && PreferredCandidate(pool, input.Request.PreferredHost, candidates[..count]) is var preferred and >= 0)
        {
            return Routed(input, preferred, newRoute: true, "new route (preferred host)");
        }

        var policy = LoadBalancingPolicies.Get(pool.Strategy);
        var chosen = policy.Pick(new BalancingContext(pool, candidates[..count], sessions, input.Key, input.State));
        var reason = moved is null ? $"new route ({policy.Name})" : $"route moved ({policy.Name}): {moved}";
        return Routed(input, chosen, newRoute: true, reason);
    }

    /// <summary>The index of <paramref name="host"/> when it is among <paramref name="candidates"/> (usable, a free slot), else -1.</summary>
    private static int PreferredCandidate(GatewayPool pool, string? host, ReadOnlySpan<int> candidates)
    {
        var index = host is null ? -1 : pool.IndexOf(host);
        return index >= 0 && candidates.Contains(index) ? index : -1;
    }

    private static void CountSessions(GatewayPool pool, IReadOnlyList<RouteRecord> routes, Span<int> sessions)
    {
        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            if (RouteLifecycle.HoldsSlot(route.Phase) && route.Host is not null)
            {
                var (_, host) = RouteHosts.Resolve(pool, route);
                if (host >= 0)
                {
                    sessions[host]++;
                }
            }
        }
    }

    private static RoutingDecision Full(in DecisionInput input, string why) => input.Pool.WhenFull == FullPoolAction.Queue
        ? new(RoutingResult.Queued, $"queued: {why}", RouteKey: input.Key)
        : new(RoutingResult.RejectedFull, why, RouteKey: input.Key);

    private static RoutingDecision Routed(in DecisionInput input, int host, bool newRoute, string reason)
    {
        var target = input.Pool.Hosts[host];
        return new(RoutingResult.Routed, reason, HostTarget.Of(target, input.Protocol.HostPort), newRoute, input.Key);
    }

    private readonly record struct DecisionInput(
        GatewayPool Pool,
        GatewayProtocol Protocol,
        IHostHealthView Health,
        RouteRequest Request,
        IReadOnlyCollection<string> ExcludedHosts,
        IBalancingState State,
        string Key);
}
