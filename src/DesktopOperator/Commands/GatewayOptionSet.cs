using System.CommandLine;
using System.Net;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Hosting;

namespace DesktopOperator.Commands;

/// <summary>
/// The options every gateway command takes (<c>standalone</c> and <c>gateway</c>): where it listens, the proxy's
/// timeouts and limits, the web options of Http pools, TLS and the log format. Defined once so both commands spell, check
/// and document them the same way.
/// </summary>
internal sealed class GatewayOptionSet
{
    public GatewayOptionSet(string httpDefault)
    {
        Http = CommandOptions.HttpUrl("--http", "URL of the HTTP endpoint: Http pools, the status page, /metrics, /healthz, /readyz and /api/status.", httpDefault);
    }

    public Option<IPAddress> Listen { get; } = CommandOptions.Address("--listen-address", "Address the pools' gateway ports listen on.", "0.0.0.0");

    public Option<string> Http { get; }

    public DurationOption Drain { get; } = new("--drain-time", "On stop, how long live connections may go on.", "30s");

    public DurationOption Handshake { get; } = new("--handshake-timeout", "How long an RDP client may take to send its first packet.", "5s");

    public DurationOption Connect { get; } = new("--connect-timeout", "Bound on one connect to a host.", "5s");

    public DurationOption Idle { get; } = new("--idle-timeout", "Close a connection quiet this long in both directions (a pool's spec.sessions.idleTimeout wins).", "2h");

    public DurationOption Queue { get; } = new("--queue-timeout", "How long a connection waits for a slot in a full pool (whenFull: Queue).", "60s");

    public Option<int> PerHost { get; } = CommandOptions.Limit("--max-connections-per-host", "Live connections per host through this gateway.");

    public Option<int> PerPool { get; } = CommandOptions.Limit("--max-connections-per-pool", "Live connections per pool through this gateway.");

    /// <summary>The gateway-wide cap; its default and ceiling come from this process's open-file limit.</summary>
    public Option<int> MaxConnections { get; } = CommandOptions.MaxConnections(OpenFileLimit.Read());

    public Option<bool> JsonLogs { get; } = new("--json-logs") { Description = "Write logs as JSON lines." };

    public Option<int> IoThreads { get; } = CommandOptions.IoThreads();

    public Option<IReadOnlyList<IPNetwork>> Trusted { get; } =
        CommandOptions.Networks("--trusted-proxies", "Auth proxies whose user header (spec.affinity.userHeader) Http pools honour; from other addresses the header is removed.");

    public Option<bool> AnonymousPinning { get; } =
        new("--allow-anonymous-pinning") { Description = "Let a browser without a signed-in user (only the affinity cookie) pin a host in the host picker (demos)." };

    /// <summary>TLS termination of the HTTP endpoint (<c>--https</c>, <c>--tls-cert</c>, ...).</summary>
    public HttpsOptions Https { get; } = new();

    /// <summary>Adds the options to <paramref name="command"/>, after the command's own.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Option[] options =
        [
            Listen, Http, Drain.Option, Handshake.Option, Connect.Option, Idle.Option, Queue.Option, PerHost, PerPool, MaxConnections, IoThreads, JsonLogs, Trusted, AnonymousPinning,
            .. Https.All,
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Sets up the socket engine from <c>--io-threads</c>; call before the command makes its first socket.</summary>
    public void ConfigureSocketEngine(ParseResult parse) => SocketEngine.Configure(parse.GetValue(IoThreads));

    public TcpProxyOptions Proxy(ParseResult parse) => new()
    {
        DrainTime = Drain.GetValue(parse),
        HandshakeTimeout = Handshake.GetValue(parse),
        ConnectTimeout = Connect.GetValue(parse),
        IdleTimeout = Idle.GetValue(parse),
        QueueTimeout = Queue.GetValue(parse),
        MaxConnectionsPerHost = parse.GetValue(PerHost),
        MaxConnectionsPerPool = parse.GetValue(PerPool),
        MaxConnections = parse.GetValue(MaxConnections),
        RelayThreads = parse.GetValue(IoThreads),
    };

    /// <summary>The one line a command prints when Kestrel finds its HTTP (or HTTPS) address taken.</summary>
    public static string AddressInUse(string httpUrl, HttpsEndpoint? https) => https is null
        ? $"--http: cannot listen on {httpUrl}: the address is already in use"
        : $"--http or --https: cannot listen on {httpUrl} or {https.Settings.Url}: an address is already in use";

    public HttpGatewayOptions Web(ParseResult parse) =>
        new() { TrustedProxies = parse.GetValue(Trusted)!, AllowAnonymousPinning = parse.GetValue(AnonymousPinning) };
}
