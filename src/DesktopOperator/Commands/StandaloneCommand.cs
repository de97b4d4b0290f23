using System.CommandLine;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Standalone;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Hosting;
using Microsoft.AspNetCore.Connections;

namespace DesktopOperator.Commands;

/// <summary>
/// <c>desktop-operator standalone</c>: the gateway without Kubernetes, over a folder of DesktopPool manifests.
/// Bad options end it before anything starts (one line on stderr, exit code 2); a start that fails at run time (the
/// HTTP port taken) ends it with one line and exit code 1.
/// </summary>
internal static class StandaloneCommand
{
    public static Command Create()
    {
        var manifests = new Option<DirectoryInfo>("--manifests") { Description = "Folder of DesktopPool manifests (*.yaml) whose pools list spec.staticHosts; reloaded on change.", Required = true, HelpName = "DIR" };
        var state = new Option<DirectoryInfo>("--state") { Description = "Folder where session routes are kept as files (created if missing).", Required = true, HelpName = "DIR" };
        var listen = CommandOptions.Address("--listen-address", "Address the pools' gateway ports listen on.", "0.0.0.0");
        var http = CommandOptions.HttpUrl("--http", "URL of the HTTP endpoint: Http pools, the status page, /metrics, /healthz, /readyz and /api/status.", "http://127.0.0.1:8080");
        var drain = new DurationOption("--drain-time", "On stop, how long live connections may go on.", "30s");
        var handshake = new DurationOption("--handshake-timeout", "How long an RDP client may take to send its first packet.", "5s");
        var connect = new DurationOption("--connect-timeout", "Bound on one connect to a host.", "5s");
        var idle = new DurationOption("--idle-timeout", "Close a connection quiet this long in both directions (a pool's spec.sessions.idleTimeout wins).", "2h");
        var queue = new DurationOption("--queue-timeout", "How long a connection waits for a slot in a full pool (whenFull: Queue).", "60s");
        var rescan = new DurationOption("--rescan-interval", "Rescan the manifest folder this often even without a file-system event.", "10s");
        var perHost = CommandOptions.Limit("--max-connections-per-host", "Live connections per host through this gateway.");
        var perPool = CommandOptions.Limit("--max-connections-per-pool", "Live connections per pool through this gateway.");
        var maxConnections = CommandOptions.MaxConnections(OpenFileLimit.Read());
        var json = new Option<bool>("--json-logs") { Description = "Write logs as JSON lines." };
        var trusted = CommandOptions.Networks("--trusted-proxies", "Auth proxies whose user header (spec.affinity.userHeader) Http pools honour; from other addresses the header is removed.");
        var anonymousPinning = new Option<bool>("--allow-anonymous-pinning") { Description = "Let a browser without a signed-in user (only the affinity cookie) pin a host in the host picker (demos)." };
        var cookieKeys = new Option<FileInfo>("--cookie-keys") { Description = "Keys signing the Http affinity cookie, one per line, the last signs (default: STATE/cookie-keys, created if missing).", HelpName = "FILE" };

        var command = new Command("standalone", "Run the gateway without Kubernetes over a folder of DesktopPool manifests.")
        {
            manifests, state, listen, http, drain.Option, handshake.Option, connect.Option, idle.Option, queue.Option,
            rescan.Option, perHost, perPool, maxConnections, json, trusted, cookieKeys, anonymousPinning,
        };
        command.SetAction(async (parse, ct) =>
        {
            var folders = StandaloneFolders.Check(parse.GetValue(manifests)!, parse.GetValue(state)!);
            if (folders.Error is { } error)
            {
                await Console.Error.WriteLineAsync(error);
                return ExitCodes.Usage;
            }

            var standalone = new StandaloneOptions
            {
                ManifestFolder = folders.Manifests,
                StateFolder = folders.State,
                RescanInterval = rescan.GetValue(parse),
            };
            var proxy = new TcpProxyOptions
            {
                DrainTime = drain.GetValue(parse),
                HandshakeTimeout = handshake.GetValue(parse),
                ConnectTimeout = connect.GetValue(parse),
                IdleTimeout = idle.GetValue(parse),
                QueueTimeout = queue.GetValue(parse),
                MaxConnectionsPerHost = parse.GetValue(perHost),
                MaxConnectionsPerPool = parse.GetValue(perPool),
                MaxConnections = parse.GetValue(maxConnections),
            };
            AffinityCookieKeys keys;
            try
            {
                keys = parse.GetValue(cookieKeys) is { } file ? AffinityCookieKeys.Load(file.FullName) : AffinityCookieKeys.LoadOrCreate(Path.Combine(folders.State, "cookie-keys"));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"--cookie-keys: {e.Message}");
                return ExitCodes.Usage;
            }

            var web = new HttpGatewayOptions { TrustedProxies = parse.GetValue(trusted)!, AllowAnonymousPinning = parse.GetValue(anonymousPinning) };
            var url = parse.GetValue(http)!;
            await using var app = StandaloneHost.Build(standalone, proxy, web, keys, parse.GetValue(listen)!, url, parse.GetValue(json));
            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException e) when (e.InnerException is AddressInUseException)
            {
                await Console.Error.WriteLineAsync($"--http: cannot listen on {url}: the address is already in use");
                return ExitCodes.Failure;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"desktop-operator standalone: cannot start: {e.Message}");
                return ExitCodes.Failure;
            }

            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Success;
        });
        return command;
    }
}
