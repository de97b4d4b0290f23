using System.CommandLine;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Standalone;
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
        var gateway = new GatewayOptionSet("http://127.0.0.1:8080");
        var rescan = new DurationOption("--rescan-interval", "Rescan the manifest folder this often even without a file-system event.", "10s");
        var cookieKeys = new Option<FileInfo>("--cookie-keys") { Description = "Keys signing the Http affinity cookie, one per line, the last signs, every one verifies; read again when it changes (default: STATE/cookie-keys, created if missing).", HelpName = "FILE" };

        var command = new Command("standalone", "Run the gateway without Kubernetes over a folder of DesktopPool manifests.") { manifests, state };
        gateway.AddTo(command);
        command.Options.Add(rescan.Option);
        command.Options.Add(cookieKeys);
        command.SetAction(async (parse, ct) =>
        {
            // First: the runtime reads the socket engine's settings when the process makes its first socket.
            gateway.ConfigureSocketEngine(parse);
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
            var proxy = gateway.Proxy(parse);
            var (tls, tlsError) = gateway.Https.Read(parse, TimeProvider.System);
            if (tlsError is not null)
            {
                await Console.Error.WriteLineAsync(tlsError);
                return ExitCodes.Usage;
            }

            AffinityCookieKeys keys;
            var keysPath = parse.GetValue(cookieKeys)?.FullName ?? Path.Combine(folders.State, "cookie-keys");
            try
            {
                keys = parse.GetValue(cookieKeys) is not null ? AffinityCookieKeys.Load(keysPath) : AffinityCookieKeys.LoadOrCreate(keysPath);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"--cookie-keys: {e.Message}");
                return ExitCodes.Usage;
            }

            var url = parse.GetValue(gateway.Http)!;
            await using var app = StandaloneHost.Build(standalone, proxy, gateway.Web(parse), (keysPath, keys), parse.GetValue(gateway.Listen)!, url, tls, parse.GetValue(gateway.JsonLogs));
            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException e) when (e.InnerException is AddressInUseException)
            {
                await Console.Error.WriteLineAsync(GatewayOptionSet.AddressInUse(url, tls));
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
