using System.CommandLine;
using System.Security.Cryptography;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Kubernetes;
using DesktopOperator.Hosting;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using Microsoft.AspNetCore.Connections;

namespace DesktopOperator.Commands;

/// <summary>
/// <c>desktop-operator gateway</c>: the gateway in Kubernetes mode, one of several replicas, routing to the pods (or
/// static hosts) of the DesktopPools it watches. Bad options end it before anything starts (one line, exit code 2);
/// no API access at start (or no CRDs) ends it with one line and exit code 1, as the operator does.
/// </summary>
internal static class GatewayCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<FileInfo?>("--kubeconfig") { Description = "Kubeconfig file; default $KUBECONFIG, then ~/.kube/config, then the in-cluster service account.", HelpName = "FILE" };
        var ns = new Option<string?>("--namespace") { Description = "Watch only this namespace (default: all namespaces).", HelpName = "NAME" };
        var gateway = new GatewayOptionSet("http://0.0.0.0:8080");
        var cookieKeys = new Option<FileInfo>("--cookie-keys")
        {
            Description = "Keys signing the Http affinity cookie, one per line, the last signs, every one verifies; read again when it changes; every replica must read the same file (a mounted Secret). Default: a random key per process, so a cookie holds only on the replica that set it until it restarts.",
            HelpName = "FILE",
        };
        var command = new Command("gateway", "Run the gateway in Kubernetes mode: route to the hosts of the DesktopPools on a Kubernetes API server.") { kubeconfig, ns };
        gateway.AddTo(command);
        command.Options.Add(cookieKeys);
        command.SetAction(async (parse, ct) =>
        {
            // First: the runtime reads the socket engine's settings when the process makes its first socket.
            gateway.ConfigureSocketEngine(parse);
            var (tls, tlsError) = gateway.Https.Read(parse, TimeProvider.System);
            if (tlsError is not null)
            {
                await Console.Error.WriteLineAsync(tlsError);
                return ExitCodes.Usage;
            }

            AffinityCookieKeys keys;
            try
            {
                keys = parse.GetValue(cookieKeys) is { } file ? AffinityCookieKeys.Load(file.FullName) : new AffinityCookieKeys([Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))]);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"--cookie-keys: {e.Message}");
                return ExitCodes.Usage;
            }

            var watched = parse.GetValue(ns);
            var (kube, apiError) = await ApiAccess.ConnectAsync("gateway", parse.GetValue(kubeconfig), watched, ct);
            if (kube is null)
            {
                await Console.Error.WriteLineAsync(apiError);
                return ExitCodes.Failure;
            }

            var url = parse.GetValue(gateway.Http)!;
            var kubernetes = new KubernetesGatewayOptions { Namespace = watched };
            await using var app = KubernetesGatewayHost.Build(
                kube, kubernetes, gateway.Proxy(parse), gateway.Web(parse), (parse.GetValue(cookieKeys)?.FullName, keys), parse.GetValue(gateway.Listen)!, url, tls, parse.GetValue(gateway.JsonLogs));
            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException e) when (e.InnerException is AddressInUseException)
            {
                await Console.Error.WriteLineAsync(GatewayOptionSet.AddressInUse(url, tls));
                return ExitCodes.Failure;
            }

            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Success;
        });
        return command;
    }
}
