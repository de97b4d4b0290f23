using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Model;

namespace DesktopOperator.Gateway.Routing;

internal static class HostUsabilityRules
{
    /// <summary>
    /// Whether host <paramref name="index"/> of <paramref name="pool"/> may take a connection. For an existing
    /// session (<paramref name="newSession"/> false) a draining or zero-weight host is still usable: draining means
    /// "take no new sessions", and the users already there keep their desktop until they leave. Health
    /// <see cref="HostHealth.Unknown"/> counts as usable, like HAProxy's initial state.
    /// </summary>
    public static HostUsability Check(
        GatewayPool pool, int index, IHostHealthView health, IReadOnlyCollection<string> excludedHosts, bool newSession)
    {
        if (index < 0)
        {
            return HostUsability.NotInPool;
        }

        var host = pool.Hosts[index];
        if (IsExcluded(excludedHosts, host.Name))
        {
            return HostUsability.Excluded;
        }

        if (!host.Ready)
        {
            return HostUsability.NotReady;
        }

        if (health.GetHealth(pool.Key, host.Name) == HostHealth.Unhealthy)
        {
            return HostUsability.Unhealthy;
        }

        if (newSession && host.Draining)
        {
            return HostUsability.Draining;
        }

        return newSession && host.Weight == 0 ? HostUsability.NoWeight : HostUsability.Usable;
    }

    public static string Describe(HostUsability usability) => usability switch
    {
        HostUsability.Usable => "is usable",
        HostUsability.NotInPool => "is not in the pool",
        HostUsability.Excluded => "failed to connect",
        HostUsability.NotReady => "is not ready",
        HostUsability.Unhealthy => "is unhealthy",
        HostUsability.Draining => "is draining",
        HostUsability.NoWeight => "takes no new sessions (weight 0)",
        _ => "is unusable",
    };

    private static bool IsExcluded(IReadOnlyCollection<string> excludedHosts, string host)
    {
        if (excludedHosts.Count == 0)
        {
            return false;
        }

        if (excludedHosts is ICollection<string> collection)
        {
            return collection.Contains(host);
        }

        foreach (var excluded in excludedHosts)
        {
            if (string.Equals(excluded, host, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
