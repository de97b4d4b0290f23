using System.Diagnostics;
using System.Diagnostics.Metrics;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// The TCP proxy's instruments on the <c>DesktopOperator.Gateway</c> meter. Names carry their unit and no
/// <c>_total</c>: the Prometheus writer appends <c>_total</c> to counters (<c>gateway_bytes</c> is exported as
/// <c>gateway_bytes_total</c>). Labels are pool, protocol and bounded enums only, never a user or session.
/// </summary>
internal sealed class TcpProxyMetrics
{
    public const string MeterName = "DesktopOperator.Gateway";

    private static readonly double[] ConnectBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public TcpProxyMetrics(Meter meter)
    {
        Connections = meter.CreateCounter<long>("gateway_connections", description: "TCP proxy connections by how they ended.");
        ActiveConnections = meter.CreateUpDownCounter<long>("gateway_connections_active", description: "TCP proxy connections open now.");
        Bytes = meter.CreateCounter<long>("gateway_bytes", description: "Bytes copied by the TCP proxy, by direction.");
        ConnectDuration = meter.CreateHistogram(
            "gateway_upstream_connect_duration_seconds",
            unit: null,
            description: "Time to connect to a host, per attempt.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ConnectBuckets });
        HandshakeRejects = meter.CreateCounter<long>("gateway_handshake_rejects", description: "Client handshakes refused, by reason.");
        LoginFailures = meter.CreateCounter<long>("gateway_vnc_login_failures", description: "VNC logins that failed (rejected) or ended before the result (abandoned), as seen in the RFB handshake.");
        ClientLockouts = meter.CreateCounter<long>("gateway_client_lockouts", description: "Client addresses locked out after failed VNC logins.");
        AcceptErrors = meter.CreateCounter<long>("gateway_accept_errors", description: "Failed accepts on a gateway port (out of descriptors or kernel memory), each retried after a short backoff.");
    }

    public Counter<long> Connections { get; }

    public UpDownCounter<long> ActiveConnections { get; }

    public Counter<long> Bytes { get; }

    public Histogram<double> ConnectDuration { get; }

    public Counter<long> HandshakeRejects { get; }

    public Counter<long> LoginFailures { get; }

    public Counter<long> ClientLockouts { get; }

    public Counter<long> AcceptErrors { get; }

    public static string ResultLabel(TcpProxyError error, RoutingResult routing) => error switch
    {
        TcpProxyError.None => "ok",
        TcpProxyError.HandshakeTimeout => "handshake_timeout",
        TcpProxyError.HandshakeMalformed => "handshake_malformed",
        TcpProxyError.Rejected => routing switch
        {
            RoutingResult.RejectedFull => "rejected_full",
            RoutingResult.RejectedNoHealthyHost => "rejected_no_healthy_host",
            RoutingResult.RejectedNotAllowed => "rejected_not_allowed",
            RoutingResult.RejectedUnknownPool => "rejected_unknown_pool",
            _ => "rejected",
        },
        TcpProxyError.QueueTimeout => "queue_timeout",
        TcpProxyError.QueueAbandoned => "queue_abandoned",
        TcpProxyError.PoolLimit => "pool_limit",
        TcpProxyError.HostLimit => "host_limit",
        TcpProxyError.RoutingFailed => "routing_failed",
        TcpProxyError.ClientLockedOut => "client_locked_out",
        TcpProxyError.GatewayFull => "gateway_full",
        TcpProxyError.UpstreamConnect => "upstream_connect",
        TcpProxyError.GatewayOutOfDescriptors => "gateway_out_of_descriptors",
        TcpProxyError.ClientRead => "client_read",
        TcpProxyError.ClientWrite => "client_write",
        TcpProxyError.UpstreamRead => "upstream_read",
        TcpProxyError.UpstreamWrite => "upstream_write",
        TcpProxyError.IdleTimeout => "idle_timeout",
        TcpProxyError.Canceled => "canceled",
        _ => "unknown",
    };

    public static TagList PoolTags(TcpProxyListenerSettings settings) => new()
    {
        { "pool", settings.Pool },
        { "protocol", settings.Protocol },
    };

    public static TagList WithTag(TcpProxyListenerSettings settings, string name, string value) => new()
    {
        { "pool", settings.Pool },
        { "protocol", settings.Protocol },
        { name, value },
    };
}
