using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using DesktopOperator.Testing.Net;

namespace DesktopOperator.Testing.Kubelet;

/// <summary>
/// A kubelet's TCP readiness probe for the running pods of one node: every
/// <see cref="SimulatedKubeletOptions.ReadinessProbePeriod"/> it connects to each pod's IP and probe port (connect, then
/// reset: TigerVNC does not count that as a failed login) and posts the pod's status when Ready changed. So a real
/// server listening at the pod's address backs the pod. Thread-safe.
/// </summary>
internal sealed class ReadinessProber(KubeletApi api, SimulatedKubeletOptions options)
{
    private readonly ConcurrentDictionary<string, Target> _targets = new(StringComparer.Ordinal);

    /// <summary>Probes once now; the result is the pod's first Ready value, then kept current by <see cref="RunAsync"/>.</summary>
    public async Task<bool> TrackAsync(string key, JsonObject pod, string ip, int port, string startTime, CancellationToken ct)
    {
        var target = new Target(pod, ip, port, startTime);
        target.Ready = await PortProbe.IsOpenAsync(target.EndPoint, ct).ConfigureAwait(false);
        _targets[key] = target;
        return target.Ready;
    }

    /// <summary>Stops probing the pod (deleted, failed, evicted).</summary>
    public void Forget(string key) => _targets.TryRemove(key, out _);

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(options.ReadinessProbePeriod, options.TimeProvider, ct).ConfigureAwait(false);
            await Task.WhenAll(_targets.Select(t => ProbeAsync(t.Key, t.Value, ct))).ConfigureAwait(false);
        }
    }

    private async Task ProbeAsync(string key, Target target, CancellationToken ct)
    {
        var ready = await PortProbe.IsOpenAsync(target.EndPoint, ct).ConfigureAwait(false);
        if (ready == target.Ready || !_targets.TryGetValue(key, out var current) || !ReferenceEquals(current, target))
        {
            return;
        }

        var ns = target.Pod["metadata"]!["namespace"]!.GetValue<string>();
        var name = target.Pod["metadata"]!["name"]!.GetValue<string>();
        try
        {
            await api.PatchStatusAsync(ns, name, PodStatuses.Running(target.Pod, target.Ip, ready, target.StartTime, options.NowText()), ct).ConfigureAwait(false);
            target.Ready = ready;
            SimulatedKubeletLog.ReadinessChanged(options.Logger, ns, name, target.EndPoint, ready);
        }
        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            Forget(key); // Removed meanwhile: its DELETED event follows.
        }
        catch (HttpRequestException) when (!ct.IsCancellationRequested)
        {
            // The API server is unreachable: the next period tries again, as Ready has not been recorded.
        }
    }

    private sealed class Target(JsonObject pod, string ip, int port, string startTime)
    {
        public JsonObject Pod { get; } = pod;

        public string Ip { get; } = ip;

        public string StartTime { get; } = startTime;

        public IPEndPoint EndPoint { get; } = new(IPAddress.Parse(ip), port);

        public bool Ready { get; set; }
    }
}
