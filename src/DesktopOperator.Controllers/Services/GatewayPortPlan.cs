using k8s.Models;

namespace DesktopOperator.Controllers.Services;

/// <summary>
/// The gateway Service's ports as they should be: the ports it has that are not ours, unchanged and in place, then ours
/// (one per TCP protocol of each pool, in pool order); and the pools refused, each with why.
/// </summary>
internal sealed record GatewayPortPlan(IReadOnlyList<V1ServicePort> Ports, IReadOnlyDictionary<string, string> Conflicts, bool Changed);
