using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.Kubelet;

/// <summary>
/// A kubelet (and, optionally, scheduler) that works only through the Kubernetes HTTP API, so it can drive a real API
/// server as well as <c>TestApiServer</c>; the in-test kubelet and the <c>DesktopOperator.SimulatedNode</c> program are
/// this one class. It registers its Node first and keeps its Lease renewed (<see cref="NodeHeartbeat"/>), lists and
/// watches pods, binds unscheduled ones to its node (<c>pods/binding</c>), moves its pods to Running with an address
/// from <see cref="SimulatedKubeletOptions.PodIps"/> (Ready at once, or from a TCP probe of that address with
/// <see cref="SimulatedKubeletOptions.ProbeReadiness"/>: <see cref="ReadinessProber"/>), finishes graceful deletes after
/// their (scaled) grace period (DELETE with gracePeriodSeconds 0 and the pod's uid as precondition) and frees the
/// address, and fails or evicts pods on request (phase Failed, reason Evicted, as a kubelet's node-pressure eviction
/// does). Reconnects its watch on errors and relists on 410.
/// </summary>
public sealed class SimulatedKubelet : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly SimulatedKubeletOptions _options;
    private readonly KubeletApi _api;
    private readonly NodeHeartbeat _heartbeat;
    private readonly ReadinessProber _prober;
    private readonly PodIpPool _pool;
    private readonly ConcurrentDictionary<string, string> _ips = new();
    private readonly ConcurrentDictionary<string, JsonObject> _waitingForIp = new();
    private readonly ConcurrentDictionary<string, Task> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public SimulatedKubelet(HttpClient client, SimulatedKubeletOptions? options = null)
    {
        _client = client;
        _options = options ?? new SimulatedKubeletOptions();
        _api = new KubeletApi(client);
        _heartbeat = new NodeHeartbeat(client, _options);
        _prober = new ReadinessProber(_api, _options);
        _pool = _options.PodIps ?? new PodIpPool(
            System.Net.IPAddress.Parse($"127.{_options.PodIpOctet}.1.1"), System.Net.IPAddress.Parse($"127.{_options.PodIpOctet}.254.254"));
    }

    /// <summary>Pods this kubelet started (namespace/name → IP).</summary>
    public IReadOnlyDictionary<string, string> PodIps => _ips;

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        _loop = Task.Run(() => RunAsync(_stop.Token), cancellationToken);
        return Task.CompletedTask;
    }

    /// <summary>Marks a running pod Failed (container exited with an error); not Ready any more.</summary>
    public Task FailPodAsync(string ns, string name, string reason = "Error", CancellationToken cancellationToken = default)
    {
        _prober.Forget($"{ns}/{name}");
        return _api.PatchStatusAsync(ns, name, PodStatuses.Terminal("Failed", reason, $"pod {name} failed", Now()), cancellationToken);
    }

    /// <summary>Evicts a pod the way the kubelet does under node pressure: phase Failed, reason Evicted.</summary>
    public Task EvictPodAsync(string ns, string name, CancellationToken cancellationToken = default)
    {
        _prober.Forget($"{ns}/{name}");
        return _api.PatchStatusAsync(ns, name, PodStatuses.Terminal("Failed", "Evicted", "The node was low on resource: memory.", Now()), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        }

        foreach (var task in _pending.Values)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        }

        _stop.Dispose();
    }

    private string PodsPath => _options.Namespace is { } ns ? $"api/v1/namespaces/{ns}/pods" : "api/v1/pods";

    private string Selector => _options.LabelSelector is { } s ? "&labelSelector=" + Uri.EscapeDataString(s) : string.Empty;

    private async Task RunAsync(CancellationToken ct)
    {
        await RegisterAsync(ct).ConfigureAwait(false);
        _pending["heartbeat"] = _heartbeat.RunAsync(ct);
        if (_options.ProbeReadiness)
        {
            _pending["readiness"] = _prober.RunAsync(ct);
        }

        while (!ct.IsCancellationRequested)
        {
            try
            {
                var list = JsonNode.Parse(await _client.GetStringAsync($"{PodsPath}?limit=500{Selector}", ct).ConfigureAwait(false))!;
                foreach (var pod in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    await HandleAsync(pod, ct).ConfigureAwait(false);
                }

                await WatchAsync(list["metadata"]!["resourceVersion"]!.GetValue<string>(), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
            {
                // The API server dropped us (fault injection, outage): back off briefly, then relist.
                await Task.Delay(TimeSpan.FromMilliseconds(100), _options.TimeProvider, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The Node must exist before any pod is bound to it; retried while the API server is unreachable.</summary>
    private async Task RegisterAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await _heartbeat.RegisterAsync(ct).ConfigureAwait(false);
                SimulatedKubeletLog.NodeRegistered(_options.Logger, _options.NodeName, _options.LeaseRenewInterval);
                return;
            }
            catch (HttpRequestException) when (!ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _options.TimeProvider, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task WatchAsync(string rv, CancellationToken ct)
    {
        using var response = await _client.GetAsync($"{PodsPath}?watch=1&allowWatchBookmarks=true&resourceVersion={rv}{Selector}", HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            var e = JsonNode.Parse(line)!;
            var type = e["type"]!.GetValue<string>();
            if (type == "ERROR")
            {
                return; // 410 Expired or another error: relist.
            }

            if (type is "ADDED" or "MODIFIED" && e["object"] is JsonObject pod)
            {
                await HandleAsync(pod, ct).ConfigureAwait(false);
            }
            else if (type == "DELETED" && e["object"] is JsonObject gone)
            {
                Gone(gone, ct);
            }
        }
    }

    private async Task HandleAsync(JsonObject pod, CancellationToken ct)
    {
        var ns = pod["metadata"]!["namespace"]!.GetValue<string>();
        var name = pod["metadata"]!["name"]!.GetValue<string>();
        var node = pod["spec"]?["nodeName"]?.GetValue<string>();
        var phase = pod["status"]?["phase"]?.GetValue<string>();
        if (node == _options.NodeName && phase is "Failed" or "Succeeded")
        {
            _prober.Forget(Key(pod)); // A terminal pod is never Ready again.
        }

        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            if (node == _options.NodeName || string.IsNullOrEmpty(node))
            {
                ScheduleRemoval(pod, ns, name, ct);
            }

            return;
        }

        if (string.IsNullOrEmpty(node))
        {
            if (_options.ActAsScheduler)
            {
                await _api.BindAsync(ns, name, _options.NodeName, ct).ConfigureAwait(false);
                SimulatedKubeletLog.PodBound(_options.Logger, ns, name, _options.NodeName);
            }

            return;
        }

        if (node != _options.NodeName || phase is not (null or "Pending") || !_pending.TryAdd($"start:{Uid(pod)}", Task.CompletedTask))
        {
            return;
        }

        _pending[$"start:{Uid(pod)}"] = StartPodAsync(pod, ns, name, ct);
    }

    private async Task StartPodAsync(JsonObject pod, string ns, string name, CancellationToken ct)
    {
        try
        {
            if (_options.StartDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.StartDelay, _options.TimeProvider, ct).ConfigureAwait(false);
            }

            if (_pool.Allocate(Key(pod)) is not { } ip)
            {
                // A real kubelet fails the sandbox (no IP) and retries; this one starts the pod when an address frees.
                // Its start key stays taken (no other event starts it twice); Gone() starts it when an address frees.
                _waitingForIp[Key(pod)] = pod;
                SimulatedKubeletLog.NoAddress(_options.Logger, ns, name, _pool.ToString());
                return;
            }

            _ips[Key(pod)] = ip;
            var now = Now();
            var port = _options.ProbeReadiness ? PodStatuses.ProbePort(pod) : null;
            var ready = port is not { } p || await _prober.TrackAsync(Key(pod), pod, ip, p, now, ct).ConfigureAwait(false);
            await _api.PatchStatusAsync(ns, name, PodStatuses.Running(pod, ip, ready, now, now), ct).ConfigureAwait(false);
            SimulatedKubeletLog.PodRunning(_options.Logger, ns, name, ip, ready, port is { } probed ? $"TCP probe of {ip}:{probed}" : "no probe");
        }
        catch (HttpRequestException) when (!ct.IsCancellationRequested)
        {
            _prober.Forget(Key(pod));
            _pending.TryRemove($"start:{Uid(pod)}", out _); // Retried on the next event for this pod.
        }
    }

    /// <summary>The pod is gone from the API: stop probing it, free its address, start one that waited for an address.</summary>
    private void Gone(JsonObject pod, CancellationToken ct)
    {
        var key = Key(pod);
        _prober.Forget(key);
        _waitingForIp.TryRemove(key, out _);
        if (!_ips.TryRemove(key, out var ip))
        {
            return;
        }

        _pool.Release(key);
        var ns = pod["metadata"]!["namespace"]!.GetValue<string>();
        var name = pod["metadata"]!["name"]!.GetValue<string>();
        SimulatedKubeletLog.PodRemoved(_options.Logger, ns, name, ip);
        foreach (var waiting in _waitingForIp.Keys)
        {
            if (_waitingForIp.TryRemove(waiting, out var next))
            {
                var meta = next["metadata"]!;
                _pending[$"start:{Uid(next)}"] = StartPodAsync(next, meta["namespace"]!.GetValue<string>(), meta["name"]!.GetValue<string>(), ct);
                break;
            }
        }
    }

    private void ScheduleRemoval(JsonObject pod, string ns, string name, CancellationToken ct)
    {
        var key = $"delete:{Uid(pod)}";
        if (_pending.ContainsKey(key))
        {
            return;
        }

        var grace = pod["metadata"]?["deletionGracePeriodSeconds"] is { } g ? double.Parse(g.ToJsonString(), CultureInfo.InvariantCulture) : 0;
        var uid = pod["metadata"]!["uid"]!.GetValue<string>();
        _pending[key] = RemoveAfterAsync(ns, name, uid, TimeSpan.FromSeconds(grace * _options.GracePeriodScale), ct);
    }

    private async Task RemoveAfterAsync(string ns, string name, string uid, TimeSpan delay, CancellationToken ct)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _options.TimeProvider, ct).ConfigureAwait(false);
        }

        await _api.DeleteNowAsync(ns, name, uid, ct).ConfigureAwait(false);
    }

    private string Now() => _options.NowText();

    private static string Uid(JsonObject pod) => pod["metadata"]!["uid"]!.GetValue<string>();

    private static string Key(JsonObject pod) => $"{pod["metadata"]!["namespace"]}/{pod["metadata"]!["name"]}";
}
