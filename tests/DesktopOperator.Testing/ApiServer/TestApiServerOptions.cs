using System.Net;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>Settings of a <see cref="TestApiServer"/>; read at start (except where noted).</summary>
public sealed class TestApiServerOptions
{
    /// <summary>Where to listen; port 0 picks a free one. Tests keep the loopback default.</summary>
    public IPEndPoint ListenEndPoint { get; set; } = new(IPAddress.Loopback, 0);

    /// <summary>Serve HTTPS, and with it client-certificate users (null: plain HTTP).</summary>
    public TestApiServerTls? Tls { get; set; }

    /// <summary>
    /// When set, <c>Authorization: Bearer {token}</c> authenticates (read per request, so a test can rotate it). A
    /// wrong token gets 401; no credentials at all 403, see <see cref="AnonymousAuth"/>.
    /// </summary>
    public string? BearerToken { get; set; }

    /// <summary>
    /// kube-apiserver's <c>--anonymous-auth</c> (on by default, as in the transcripts): with a token or client CA
    /// configured, a request without credentials is <c>system:anonymous</c> and gets 403; off, it gets 401.
    /// </summary>
    public bool AnonymousAuth { get; set; } = true;

    /// <summary>
    /// Run the owner-reference garbage collector and the namespace controller, as kube-controller-manager does in a
    /// real cluster. Off reproduces the transcripts' bare kube-apiserver.
    /// </summary>
    public bool GarbageCollection { get; set; } = true;

    /// <summary>
    /// Create a <c>default</c> ServiceAccount in every namespace (kube-controller-manager's job). Off: pod creation in
    /// a namespace without one answers 403, as in transcript 11.
    /// </summary>
    public bool CreateDefaultServiceAccounts { get; set; } = true;

    /// <summary>
    /// Run what else kube-controller-manager does (transcript 17): the node lifecycle controller (lifts the not-ready
    /// taint, marks nodes without heartbeat Unknown and their pods not Ready), the pod garbage collector (pods bound to
    /// a node name without a Node) and the disruption controller (PodDisruptionBudget status). Off reproduces the bare
    /// kube-apiserver of transcripts 01–16.
    /// </summary>
    public bool NodeAndDisruptionControllers { get; set; } = true;

    /// <summary>A node whose Lease and Ready heartbeat are both older than this goes Unknown (real: 40 s).</summary>
    public TimeSpan NodeMonitorGracePeriod { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>A pod bound to a node name that has had no Node object for this long is deleted (real: 40 s quarantine).</summary>
    public TimeSpan PodGcQuarantine { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>How often the time-based controllers (node heartbeats, pod GC) look, on <see cref="TimeProvider"/>.</summary>
    public TimeSpan ControllerPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many changes stay replayable for watches; older resourceVersions answer 410 Expired.</summary>
    public int HistoryWindow { get; set; } = 10_000;

    /// <summary>Period between BOOKMARK events on watches that allow them.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A watch with timeoutSeconds gets a BOOKMARK this long before its deadline (the real server: ~2 s).</summary>
    public TimeSpan BookmarkBeforeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Multiplies every <c>timeoutSeconds</c> of a watch (e.g. 0.1 to replay long waits quickly).</summary>
    public double WatchTimeoutScale { get; set; } = 1.0;

    /// <summary>Namespaces present at start (each with a default ServiceAccount when enabled).</summary>
    public IList<string> Namespaces { get; } = ["default"];

    /// <summary>CRD YAML or JSON files registered at start (e.g. the repository's <c>crds/*.yaml</c>).</summary>
    public IList<string> CrdFiles { get; } = [];

    /// <summary>First resourceVersion; later ones count up from it.</summary>
    public long InitialResourceVersion { get; set; } = 1000;

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Source of uids and generated names; seed it for reproducible runs.</summary>
    public Random Random { get; set; } = Random.Shared;
}
