using System.Globalization;
using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Objects;
using k8s.Models;

namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// The pod of one session host, made from the pool's template: labelled with the pool and the template hash, owned
/// by the pool (controller reference, so the garbage collector removes it with the pool), spread over nodes unless
/// the template says how, and Ready only when the desktop protocol port accepts a connection.
/// </summary>
internal static class HostPodBuilder
{
    public const string HostnameTopologyKey = "kubernetes.io/hostname";

    public static V1Pod Build(DesktopPool pool, string name, string templateHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var template = pool.Spec.Template ?? throw new ArgumentException("the pool has no spec.template", nameof(pool));
        var spec = template.Spec is { } json ? KubeJson.Deserialize<V1PodSpec>(json.GetRawText()) : new V1PodSpec();
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [HostLabels.ManagedBy] = HostLabels.ManagedByValue,
            [HostLabels.Pool] = pool.Metadata.Name,
            [HostLabels.TemplateHash] = templateHash,
        };
        var annotations = new Dictionary<string, string>(template.Metadata?.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [HostLabels.IdleSince] = Timestamp(now),
        };
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = pool.Metadata.NamespaceProperty, Labels = labels, Annotations = annotations },
            Spec = spec,
        };
        OwnerReferences.SetControllerReference(pool, pod);
        spec.TopologySpreadConstraints ??= [SpreadOverNodes(pool.Metadata.Name)];
        if (ProbePort(pool.Spec) is { } port && spec.Containers?.FirstOrDefault() is { ReadinessProbe: null } container)
        {
            container.ReadinessProbe = new V1Probe
            {
                TcpSocket = new V1TCPSocketAction { Port = port },
                PeriodSeconds = 5,
                FailureThreshold = 2,
            };
        }

        return pod;
    }

    public static string Timestamp(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>One host per node where possible, but never unschedulable for it (ScheduleAnyway).</summary>
    private static V1TopologySpreadConstraint SpreadOverNodes(string pool) => new()
    {
        MaxSkew = 1,
        TopologyKey = HostnameTopologyKey,
        WhenUnsatisfiable = "ScheduleAnyway",
        LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [HostLabels.Pool] = pool } },
    };

    /// <summary>The port of the health-check protocol (or the first protocol).</summary>
    private static int? ProbePort(DesktopPoolSpec spec)
    {
        var protocol = spec.HealthCheck?.Protocol is { } named ? spec.Protocols.FirstOrDefault(p => p.Name == named) : null;
        return (protocol ?? spec.Protocols.FirstOrDefault())?.Port;
    }
}
