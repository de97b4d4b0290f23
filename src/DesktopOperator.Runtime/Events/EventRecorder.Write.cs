using System.Text.Json.Nodes;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Events;

public sealed partial class EventRecorder
{
    private async Task WriteAsync(Pending pending, CancellationToken cancellationToken)
    {
        var key = new DedupeKey(pending.Regarding.Uid, pending.Regarding.Kind, pending.Regarding.NamespaceProperty, pending.Regarding.Name, pending.Type, pending.Reason, pending.Message);
        if (_seen.TryGetValue(key, out var seen) && pending.At - seen.LastSeen < _options.DedupeWindow)
        {
            var patch = new JsonObject
            {
                ["count"] = seen.Count + 1,
                ["lastTimestamp"] = FormatTime(pending.At),
            };
            if (await _events.TryMergePatchAsync(seen.EventName, seen.EventNamespace, patch.ToJsonString(), cancellationToken).ConfigureAwait(false))
            {
                seen.Count++;
                seen.LastSeen = pending.At;
                return;
            }

            // The server's event TTL removed it: start a new one below.
            _seen.Remove(key);
        }

        var created = await _events.CreateAsync(NewEvent(pending), cancellationToken).ConfigureAwait(false);
        Remember(key, new Seen(created.Metadata.Name!, created.Metadata.NamespaceProperty!, 1, pending.At));
    }

    private Corev1Event NewEvent(Pending pending)
    {
        // Names must be unique even for events recorded within one clock tick: keep the nanosecond suffix increasing.
        var nanos = (pending.At - DateTimeOffset.UnixEpoch).Ticks * 100;
        _lastNanos = nanos > _lastNanos ? nanos : _lastNanos + 1;
        return new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta
            {
                Name = $"{pending.Regarding.Name}.{_lastNanos:x}",
                NamespaceProperty = string.IsNullOrEmpty(pending.Regarding.NamespaceProperty) ? "default" : pending.Regarding.NamespaceProperty,
            },
            InvolvedObject = pending.Regarding,
            Reason = pending.Reason,
            Message = pending.Message,
            Type = pending.Type,
            Source = new V1EventSource { Component = _options.Component, Host = _options.Instance },
            FirstTimestamp = WholeSeconds(pending.At),
            LastTimestamp = WholeSeconds(pending.At),
            Count = 1,
            ReportingComponent = _options.Component,
            ReportingInstance = _options.Instance,
        };
    }

    /// <summary>metav1.Time has whole seconds (as our merge patch of lastTimestamp writes it); the package would send the fraction.</summary>
    private static DateTime WholeSeconds(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private void Remember(DedupeKey key, Seen seen)
    {
        _seen[key] = seen;
        if (_seen.Count <= _options.MaxRemembered)
        {
            return;
        }

        // Over the limit: forget everything outside the window, then the oldest, as an LRU would.
        var cutoff = seen.LastSeen - _options.DedupeWindow;
        foreach (var stale in _seen.Where(p => p.Value.LastSeen < cutoff).Select(p => p.Key).ToList())
        {
            _seen.Remove(stale);
        }

        while (_seen.Count > _options.MaxRemembered)
        {
            _seen.Remove(_seen.MinBy(p => p.Value.LastSeen).Key);
        }
    }
}
