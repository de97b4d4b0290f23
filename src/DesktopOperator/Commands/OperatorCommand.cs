using System.CommandLine;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Controllers.Pools;
using DesktopOperator.Hosting;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using Microsoft.AspNetCore.Connections;

namespace DesktopOperator.Commands;

/// <summary>
/// <c>desktop-operator operator</c>: the controllers against a Kubernetes API server. Bad options end it before anything
/// starts (one line, exit code 2); no API access at start (or no CRDs) ends it with one line and exit code 1.
/// </summary>
internal static class OperatorCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<FileInfo?>("--kubeconfig") { Description = "Kubeconfig file; default $KUBECONFIG, then ~/.kube/config, then the in-cluster service account.", HelpName = "FILE" };
        var ns = new Option<string?>("--namespace") { Description = "Watch only this namespace (default: all namespaces).", HelpName = "NAME" };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "Run the controllers only while holding the Lease (for two or more replicas).", DefaultValueFactory = _ => true };
        var leaseNamespace = new Option<string?>("--leader-election-namespace") { Description = "Namespace of the Lease (default: --namespace, the pod's namespace, or default).", HelpName = "NAME" };
        var leaseName = new Option<string>("--leader-election-id") { Description = "Name of the Lease.", HelpName = "NAME", DefaultValueFactory = _ => "desktop-operator" };
        var http = CommandOptions.HttpUrl("--http", "URL of the HTTP endpoint for /metrics, /healthz and /readyz.", "http://0.0.0.0:8081");
        var surge = CommandOptions.Limit("--max-surge", "New-template hosts beyond the desired count during a rolling update (0 means 1).");
        var maxDrain = new Option<string?>("--max-drain-time") { Description = "Delete a draining host that still has sessions after this long (announced by an event). Default: wait for its last session.", HelpName = "DURATION" };
        var deletionGrace = new DurationOption("--pool-deletion-grace", "A deleted pool's busy hosts keep their sessions this long (announced by an event), then they are deleted.", "1h");
        var gatewayService = new Option<string?>("--gateway-service") { Description = "Keep this Service's ports equal to the TCP gateway ports of the pools (ports named dp-<pool>-<protocol>; others are left alone). Default: off.", HelpName = "NAMESPACE/NAME" };
        var json = new Option<bool>("--json-logs") { Description = "Write logs as JSON lines." };
        var command = new Command("operator", "Run the DesktopPool controller against a Kubernetes API server.")
        {
            kubeconfig, ns, leaderElect, leaseNamespace, leaseName, http, surge, maxDrain, deletionGrace.Option, gatewayService, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            TimeSpan? drainTime = null;
            if (parse.GetValue(maxDrain) is { } text)
            {
                if (!Api.Durations.Duration.TryParse(text, out var parsed) || parsed <= TimeSpan.Zero)
                {
                    await Console.Error.WriteLineAsync($"--max-drain-time: '{text}' is not a duration more than 0 such as 30m or 2h");
                    return ExitCodes.Usage;
                }

                drainTime = parsed;
            }

            Runtime.ObjectKey? serviceKey = null;
            if (parse.GetValue(gatewayService) is { } serviceText)
            {
                var parts = serviceText.Split('/');
                if (parts.Length != 2 || !parts.All(p => p.Length is > 0 and <= 63 && System.Text.RegularExpressions.Regex.IsMatch(p, Api.Schema.Patterns.Dns1123Label)))
                {
                    await Console.Error.WriteLineAsync($"--gateway-service: '{serviceText}' is not NAMESPACE/NAME (two DNS-1123 labels, e.g. desktop-operator/desktop-operator-gateway)");
                    return ExitCodes.Usage;
                }

                serviceKey = new Runtime.ObjectKey(parts[0], parts[1]);
            }

            var watched = parse.GetValue(ns);
            var (kube, apiError) = await ApiAccess.ConnectAsync("operator", parse.GetValue(kubeconfig), watched, ct);
            if (kube is null)
            {
                await Console.Error.WriteLineAsync(apiError);
                return ExitCodes.Failure;
            }

            var settings = new OperatorSettings
            {
                Kube = kube,
                Namespace = watched,
                LeaderElect = parse.GetValue(leaderElect),
                LeaseNamespace = parse.GetValue(leaseNamespace) ?? watched ?? kube.Namespace ?? "default",
                LeaseName = parse.GetValue(leaseName)!,
                Identity = $"{Environment.MachineName}_{Guid.NewGuid():N}",
                HttpUrl = parse.GetValue(http)!,
                JsonLogs = parse.GetValue(json),
                Pools = new PoolReconcilerOptions { MaxSurge = Math.Max(1, parse.GetValue(surge)), MaxDrainTime = drainTime, PoolDeletionGrace = deletionGrace.GetValue(parse) },
                GatewayService = serviceKey,
            };
            await using var app = OperatorHost.Build(settings);
            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException e) when (e.InnerException is AddressInUseException)
            {
                await Console.Error.WriteLineAsync($"--http: cannot listen on {settings.HttpUrl}: the address is already in use");
                return ExitCodes.Failure;
            }

            await app.WaitForShutdownAsync(ct);
            return app.Services.GetRequiredService<OperatorService>().Failure is null ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
