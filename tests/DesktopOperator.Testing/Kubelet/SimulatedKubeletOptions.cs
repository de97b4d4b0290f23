using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Testing.Kubelet;

/// <summary>Settings of a <see cref="SimulatedKubelet"/>.</summary>
public sealed class SimulatedKubeletOptions
{
    /// <summary>The node this kubelet runs; unbound pods are bound to it, and it runs only pods bound to it.</summary>
    public string NodeName { get; set; } = "sim-node-1";

    /// <summary>Watch one namespace (null: all namespaces).</summary>
    public string? Namespace { get; set; }

    /// <summary>Only pods matching this label selector (null: all).</summary>
    public string? LabelSelector { get; set; }

    /// <summary>Bind pods without a nodeName to <see cref="NodeName"/> (acting as the scheduler).</summary>
    public bool ActAsScheduler { get; set; } = true;

    /// <summary>
    /// Second octet of the pod IPs when <see cref="PodIps"/> is not set: pods get 127.{octet}.x.y, unique per kubelet
    /// instance (give two kubelets different octets).
    /// </summary>
    public int PodIpOctet { get; set; } = 1;

    /// <summary>The pod addresses (e.g. <c>PodIpPool.Parse("127.0.0.21-127.0.0.40")</c>); null: 127.{PodIpOctet}.1.1 onwards.</summary>
    public PodIpPool? PodIps { get; set; }

    /// <summary>
    /// Set Ready from a TCP probe of the pod's IP and probe port (<c>readinessProbe.tcpSocket.port</c>, else the first
    /// <c>containerPort</c>), so a server listening there backs the pod. Off: Ready as soon as Running (the tests' default,
    /// where no server listens at pod addresses).
    /// </summary>
    public bool ProbeReadiness { get; set; }

    /// <summary>How often readiness is probed when <see cref="ProbeReadiness"/> is on (a real kubelet: periodSeconds, 10 s).</summary>
    public TimeSpan ReadinessProbePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>One line per node and pod change (bound, running, readiness, removed).</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Time from binding to Running/Ready.</summary>
    public TimeSpan StartDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Multiplies a deleted pod's remaining grace period before the kubelet removes it (0 = at once, 1 = the full
    /// period, as a real kubelet whose containers ignore SIGTERM).
    /// </summary>
    public double GracePeriodScale { get; set; } = 1.0;

    /// <summary>
    /// How often the node's Lease is renewed (a real kubelet: 10 s); kube-controller-manager marks a node Unknown after
    /// 40 s without one.
    /// </summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal string NowText() => TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
