using System.Globalization;
using DesktopOperator.Api.V1Alpha1;
using k8s.Models;

namespace DesktopOperator.Controllers.Services;

/// <summary>
/// Which ports the gateway's Service carries for the pools, pure. Our ports are those named with
/// <see cref="Prefix"/> (<c>dp-&lt;pool&gt;-&lt;protocol&gt;</c>); every other port belongs to someone else (the chart's
/// HTTP port, an admin's) and is kept as it is. Pools claim their TCP gateway ports oldest first (creation time, then
/// namespace/name), so a port stays with the pool that had it: a later pool asking for a port that an earlier pool or
/// a port we do not own already uses is refused for that protocol, and <see cref="GatewayPortPlan.Conflicts"/> says why.
/// </summary>
internal static class GatewayPorts
{
    public const string Prefix = "dp-";

    public static GatewayPortPlan Plan(IReadOnlyList<V1ServicePort> current, IEnumerable<DesktopPool> pools)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(pools);
        var foreign = current.Where(p => p.Name is null || !p.Name.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
        var used = foreign.ToDictionary(p => p.Port, p => $"port '{p.Name}' of the Service", EqualityComparer<int>.Default);
        var ours = new List<V1ServicePort>();
        var conflicts = new Dictionary<string, string>(StringComparer.Ordinal);
        var ordered = pools
            .Where(p => p.Metadata.DeletionTimestamp is null)
            .OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(p => KeyOf(p), StringComparer.Ordinal);
        foreach (var pool in ordered)
        {
            var refused = new List<string>();
            foreach (var protocol in pool.Spec.Protocols.Where(p => p.Kind != ProtocolKind.Http && p.GatewayPort is not null))
            {
                var port = protocol.GatewayPort!.Value;
                if (used.TryGetValue(port, out var owner))
                {
                    refused.Add($"spec.protocols[{protocol.Name}].gatewayPort: {port} is already used by {owner}");
                    continue;
                }

                var name = NameOf(pool.Metadata.Name, protocol.Name);
                if (ours.Any(o => o.Name == name))
                {
                    refused.Add($"spec.protocols[{protocol.Name}].gatewayPort: the port name '{name}' is taken by a namesake pool in another namespace");
                    continue;
                }

                used[port] = $"pool '{KeyOf(pool)}'";
                ours.Add(new V1ServicePort { Name = name, Port = port, TargetPort = port, Protocol = "TCP" });
            }

            if (refused.Count > 0)
            {
                conflicts[KeyOf(pool)] = string.Join("; ", refused);
            }
        }

        var ports = foreign.Concat(ours).ToList();
        return new GatewayPortPlan(ports, conflicts, !Same(current, ports));
    }

    public static string KeyOf(DesktopPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return $"{pool.Metadata.NamespaceProperty}/{pool.Metadata.Name}";
    }

    /// <summary><c>dp-&lt;pool&gt;-&lt;protocol&gt;</c>; a port name is a DNS label of at most 63 characters, so a longer one is cut and given a stable hash.</summary>
    public static string NameOf(string pool, string protocol)
    {
        var name = $"{Prefix}{pool}-{protocol}";
        if (name.Length <= 63)
        {
            return name;
        }

        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return $"{name[..54].TrimEnd('-')}-{hash.ToString("x8", CultureInfo.InvariantCulture)}";
    }

    private static bool Same(IReadOnlyList<V1ServicePort> a, List<V1ServicePort> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Name == p.Second.Name && p.First.Port == p.Second.Port
            && (p.First.Protocol ?? "TCP") == (p.Second.Protocol ?? "TCP") && p.First.TargetPort?.Value == p.Second.TargetPort?.Value);
}
