namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// Every scaling and drain rule of a template pool, in one pure function (pool numbers + hosts + sessions + now →
/// plan), so the rules are tested without I/O and the reconciler only applies the result.
/// <para>
/// Rules: desired = clamp(ceil((sessions + buffer) / sessionsPerHost), minHosts, maxHosts). Scale up at once (first
/// taking back hosts drained for scale-down, then creating). Scale down only hosts with no bound route that have been
/// empty for the scale-down delay, unready ones first, by marking them draining; a draining host is deleted only
/// once it has no bound route (or after the optional maximum drain time). Failed pods are deleted and replaced.
/// Hosts on cordoned nodes drain and are replaced. Outdated hosts (older template) drain as ready replacements
/// arrive, with at most <see cref="ScaleSettings.MaxSurge"/> extra hosts.
/// </para>
/// </summary>
internal static class ScalePlanner
{
    public static int DesiredHosts(ScaleSettings settings, int sessions, out int wanted)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var perHost = Math.Max(1, settings.SessionsPerHost);
        wanted = (int)Math.Ceiling((Math.Max(0, sessions) + (double)Math.Max(0, settings.BufferSessions)) / perHost);
        return Math.Clamp(wanted, settings.MinHosts, Math.Max(settings.MinHosts, settings.MaxHosts));
    }

    public static ScalePlan Plan(ScaleSettings settings, IReadOnlyList<HostView> hosts, int sessions, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(hosts);
        var desired = DesiredHosts(settings, sessions, out var wanted);
        var requeue = new Requeue(now);
        var delete = new List<HostAction>();
        var drain = new List<HostAction>();
        var warnings = new List<HostAction>();

        foreach (var host in hosts)
        {
            if (host.Failed && !host.Terminating)
            {
                delete.Add(new HostAction(host.Name, DeleteReason.Failed));
            }
        }

        // Linear in hosts (a pool may hold 1,000): no List.Remove or Contains per host.
        var alive = hosts.Where(h => h.Alive && !h.Draining).ToList();
        drain.AddRange(alive.Where(h => h.NodeCordoned).Select(h => new HostAction(h.Name, DrainReason.NodeCordoned)));
        var serving = alive.Where(h => !h.NodeCordoned).ToList();

        // Scale up: take back hosts drained for scale-down (busy ones first: they cannot be deleted anyway), then create.
        var need = desired - serving.Count;
        var undrain = need <= 0 ? [] : hosts
            .Where(h => h.Alive && h.DrainReason == DrainReason.ScaleDown && !h.Outdated && !h.NodeCordoned)
            .OrderByDescending(h => h.BoundRoutes).ThenByDescending(h => h.Ready).ThenBy(h => h.Name, StringComparer.Ordinal)
            .Take(need).ToList();
        var current = serving.Where(h => !h.Outdated).Concat(undrain).ToList();
        var outdated = serving.Where(h => h.Outdated).ToList();
        var servingCount = serving.Count + undrain.Count;
        var rollout = Math.Min(desired - current.Count, desired + settings.MaxSurge - servingCount);
        var create = Math.Min(Math.Max(0, Math.Max(desired - servingCount, rollout)), settings.MaxCreatesPerPass);

        drain.AddRange(DrainOutdated(outdated, current.Count(h => h.Ready), desired));
        drain.AddRange(ScaleDown(settings, current, desired, now, requeue));
        var undrained = undrain.ToHashSet();
        DrainedHosts(settings, hosts.Where(h => h.Alive && h.Draining && !undrained.Contains(h)), now, delete, warnings, requeue);

        return new ScalePlan
        {
            Desired = desired,
            Wanted = wanted,
            Create = create,
            ServingAfter = servingCount + create - drain.Count(d => d.Reason != DrainReason.NodeCordoned),
            Drain = drain,
            Undrain = [.. undrain.Select(h => h.Name)],
            Delete = delete,
            MarkBusy = [.. hosts.Where(h => h.Alive && h.BoundRoutes > 0 && !h.LabelledBusy).Select(h => h.Name)],
            MarkIdle = [.. hosts.Where(h => h.Alive && h.BoundRoutes == 0 && h.LabelledBusy).Select(h => h.Name)],
            DeadlineWarnings = warnings,
            RequeueAfter = requeue.After,
        };
    }

    /// <summary>
    /// Outdated hosts drain (busy ones keep their sessions) while enough ready current hosts stand in for them, so the
    /// pool never serves fewer than desired hosts; empty and unready ones first.
    /// </summary>
    private static IEnumerable<HostAction> DrainOutdated(List<HostView> outdated, int readyCurrent, int desired)
    {
        var budget = Math.Max(0, readyCurrent + outdated.Count - desired);
        return outdated
            .OrderBy(h => h.BoundRoutes).ThenBy(h => h.Ready).ThenBy(h => h.Name, StringComparer.Ordinal)
            .Take(budget)
            .Select(h => new HostAction(h.Name, DrainReason.Outdated));
    }

    /// <summary>Surplus current hosts that have been empty for the scale-down delay drain: unready first, then the longest idle.</summary>
    private static IEnumerable<HostAction> ScaleDown(ScaleSettings settings, List<HostView> current, int desired, DateTimeOffset now, Requeue requeue)
    {
        var surplus = current.Count - desired;
        if (surplus <= 0)
        {
            return [];
        }

        var empty = current.Where(h => h.BoundRoutes == 0).ToList();
        foreach (var host in empty)
        {
            requeue.At(IdleSince(host, now) + settings.ScaleDownDelay);
        }

        return empty
            .Where(h => IdleSince(h, now) + settings.ScaleDownDelay <= now)
            .OrderBy(h => h.Ready).ThenBy(h => IdleSince(h, now)).ThenBy(h => h.Name, StringComparer.Ordinal)
            .Take(surplus)
            .Select(h => new HostAction(h.Name, DrainReason.ScaleDown));
    }

    /// <summary>A draining host is deleted once empty, or when its maximum drain time has passed (warned first).</summary>
    private static void DrainedHosts(ScaleSettings settings, IEnumerable<HostView> draining, DateTimeOffset now, List<HostAction> delete, List<HostAction> warnings, Requeue requeue)
    {
        foreach (var host in draining)
        {
            if (host.BoundRoutes == 0)
            {
                delete.Add(new HostAction(host.Name, DeleteReason.Drained));
            }
            else if (settings.MaxDrainTime is { } max)
            {
                var deadline = (host.DrainingSince ?? now) + max;
                if (deadline <= now)
                {
                    delete.Add(new HostAction(host.Name, DeleteReason.DrainTimeExceeded));
                }
                else
                {
                    warnings.Add(new HostAction(host.Name, $"deleted at {deadline:yyyy-MM-dd'T'HH:mm:ss'Z'} with {host.BoundRoutes} session(s) left"));
                    requeue.At(deadline);
                }
            }
        }
    }

    /// <summary>
    /// A host still labelled busy lost its last route just now (this pass records it): its delay starts now, not at
    /// its creation.
    /// </summary>
    private static DateTimeOffset IdleSince(HostView host, DateTimeOffset now) => host.LabelledBusy ? now : host.IdleSince ?? host.CreatedAt;
}
