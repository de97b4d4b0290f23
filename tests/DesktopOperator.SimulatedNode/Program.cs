using System.Runtime.InteropServices;
using DesktopOperator.Kube.Config;
using DesktopOperator.SimulatedNode;
using DesktopOperator.Testing.Kubelet;
using Microsoft.Extensions.Logging;

// `dotnet run --project tests/DesktopOperator.SimulatedNode -- --kubeconfig FILE --node NAME --pod-ips FIRST-LAST`:
// a kubelet and scheduler for one node, through the Kubernetes API only (any API server), until Ctrl-C or SIGTERM.
// A bad option: one line on stderr, exit code 2; an unreadable kubeconfig or an API server it cannot reach: one line,
// exit code 1.
var parse = NodeCommandLine.CreateCommand().Parse(args);
if (parse.Errors.Count > 0)
{
    // One line naming the option and the cause, as the product's commands do, not the whole help text.
    await Console.Error.WriteLineAsync(
        $"{string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')).Distinct())} (see: DesktopOperator.SimulatedNode --help)").ConfigureAwait(false);
    return 2;
}

if (parse.Action is not null)
{
    // --help (or --version): System.CommandLine's own action.
    return await parse.InvokeAsync().ConfigureAwait(false);
}

NodeCommandLine options;
try
{
    options = NodeCommandLine.Read(parse);
}
catch (FormatException e)
{
    await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
    return 2;
}

KubeClientSettings settings;
try
{
    settings = options.Kubeconfig is { } file ? KubeClientSettings.BuildConfigFromConfigFile(file, options.Context) : KubeClientSettings.BuildDefaultConfig();
}
catch (KubeConfigException e)
{
    await Console.Error.WriteLineAsync($"simulated node: {e.Message}").ConfigureAwait(false);
    return 1;
}

using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(c =>
{
    c.SingleLine = true;
    c.TimestampFormat = "HH:mm:ss ";
}));
var host = settings.Host.ToString().EndsWith('/') ? settings.Host : new Uri(settings.Host + "/");
using var http = new HttpClient(settings.CreateHttpMessageHandler()) { BaseAddress = host, Timeout = TimeSpan.FromSeconds(30) };
http.DefaultRequestHeaders.UserAgent.ParseAdd("desktop-operator-simulated-node/v0.0.0");
try
{
    using var version = await http.GetAsync(new Uri("version", UriKind.Relative), stop.Token).ConfigureAwait(false);
    version.EnsureSuccessStatusCode();
}
catch (HttpRequestException e)
{
    await Console.Error.WriteLineAsync($"simulated node: cannot reach the API server at {settings.Host}: {e.Message}").ConfigureAwait(false);
    return 1;
}

await using (var kubelet = new SimulatedKubelet(http, options.ToKubeletOptions(loggers.CreateLogger("SimulatedNode"))))
{
    await kubelet.StartAsync(stop.Token).ConfigureAwait(false);
    await Console.Out.WriteLineAsync(
        $"Simulated node {options.Node} on {settings.Host}: pod addresses {options.PodIps}, readiness probed every {options.ProbePeriod.TotalSeconds:0.###} s; Ctrl-C stops it").ConfigureAwait(false);
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        // Ctrl-C or SIGTERM: the kubelet stops when disposed.
    }
}

return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
