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
    /// Third octet of the first pod IP: pods get 127.{octet}.x.y, unique per kubelet instance (give two kubelets
    /// different octets).
    /// </summary>
    public int PodIpOctet { get; set; } = 1;

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
}
