using System.CommandLine;
using System.Net;
using DesktopOperator.Api.Durations;
using DesktopOperator.Gateway.Standalone;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Hosting;

namespace DesktopOperator.Commands;

/// <summary><c>desktop-operator standalone</c>: the gateway without Kubernetes, over a folder of DesktopPool manifests.</summary>
internal static class StandaloneCommand
{
    public static Command Create()
    {
        var manifests = new Option<DirectoryInfo>("--manifests") { Description = "Folder of DesktopPool manifests (*.yaml) whose pools list spec.staticHosts; reloaded on change.", Required = true, HelpName = "DIR" };
        var state = new Option<DirectoryInfo>("--state") { Description = "Folder where session routes are kept as files (created if missing).", Required = true, HelpName = "DIR" };
        var listen = new Option<string>("--listen-address") { Description = "Address the pools' gateway ports listen on.", DefaultValueFactory = _ => "0.0.0.0", HelpName = "IP" };
        var http = new Option<string>("--http") { Description = "URL of the HTTP endpoint for /metrics, /healthz, /readyz and /api/status.", DefaultValueFactory = _ => "http://127.0.0.1:8080", HelpName = "URL" };
        var drain = Duration("--drain-time", "On stop, how long live connections may go on.", "30s");
        var handshake = Duration("--handshake-timeout", "How long an RDP client may take to send its first packet.", "5s");
        var connect = Duration("--connect-timeout", "Bound on one connect to a host.", "5s");
        var idle = Duration("--idle-timeout", "Close a connection quiet this long in both directions (a pool's spec.sessions.idleTimeout wins).", "2h");
        var queue = Duration("--queue-timeout", "How long a connection waits for a slot in a full pool (whenFull: Queue).", "60s");
        var rescan = Duration("--rescan-interval", "Rescan the manifest folder this often even without a file-system event.", "10s");
        var perHost = new Option<int>("--max-connections-per-host") { Description = "Live connections per host through this gateway; 0 = no limit.", HelpName = "N" };
        var perPool = new Option<int>("--max-connections-per-pool") { Description = "Live connections per pool through this gateway; 0 = no limit.", HelpName = "N" };
        var json = new Option<bool>("--json-logs") { Description = "Write logs as JSON lines." };

        var command = new Command("standalone", "Run the gateway without Kubernetes over a folder of DesktopPool manifests.")
        {
            manifests, state, listen, http, drain, handshake, connect, idle, queue, rescan, perHost, perPool, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!IPAddress.TryParse(parse.GetValue(listen), out var address))
            {
                await Console.Error.WriteLineAsync($"--listen-address: '{parse.GetValue(listen)}' is not an IP address");
                return 2;
            }

            var standalone = new StandaloneOptions
            {
                ManifestFolder = parse.GetValue(manifests)!.FullName,
                StateFolder = parse.GetValue(state)!.FullName,
                RescanInterval = parse.GetValue(rescan),
            };
            var proxy = new TcpProxyOptions
            {
                DrainTime = parse.GetValue(drain),
                HandshakeTimeout = parse.GetValue(handshake),
                ConnectTimeout = parse.GetValue(connect),
                IdleTimeout = parse.GetValue(idle),
                QueueTimeout = parse.GetValue(queue),
                MaxConnectionsPerHost = parse.GetValue(perHost),
                MaxConnectionsPerPool = parse.GetValue(perPool),
            };
            if (!Directory.Exists(standalone.ManifestFolder))
            {
                await Console.Error.WriteLineAsync($"--manifests: folder '{standalone.ManifestFolder}' does not exist");
                return 2;
            }

            await using var app = StandaloneHost.Build(standalone, proxy, address, parse.GetValue(http)!, parse.GetValue(json));
            await app.RunAsync(ct);
            return 0;
        });
        return command;
    }

    private static Option<TimeSpan> Duration(string name, string description, string defaultValue) => new(name)
    {
        Description = $"{description} Default {defaultValue}.",
        HelpName = "DURATION",
        DefaultValueFactory = _ => Api.Durations.Duration.Parse(defaultValue),
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : defaultValue;
            if (Api.Durations.Duration.TryParse(text, out var value))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a duration such as 30s, 5m or 1h30m");
            return default;
        },
    };
}
