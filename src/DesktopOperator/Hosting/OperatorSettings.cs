using DesktopOperator.Controllers.Pools;
using DesktopOperator.Kube.Config;

namespace DesktopOperator.Hosting;

/// <summary>What <c>desktop-operator operator</c> was asked to do, checked before anything starts.</summary>
internal sealed record OperatorSettings
{
    public required KubeClientSettings Kube { get; init; }

    /// <summary>Null: all namespaces.</summary>
    public string? Namespace { get; init; }

    public bool LeaderElect { get; init; } = true;

    public required string LeaseNamespace { get; init; }

    public required string LeaseName { get; init; }

    public required string Identity { get; init; }

    public required string HttpUrl { get; init; }

    public bool JsonLogs { get; init; }

    public PoolReconcilerOptions Pools { get; init; } = new();

    /// <summary>The gateway's Service whose ports follow the pools (<c>--gateway-service</c>); null: off.</summary>
    public Runtime.ObjectKey? GatewayService { get; init; }
}
