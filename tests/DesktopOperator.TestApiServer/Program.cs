using System.Runtime.InteropServices;
using DesktopOperator.TestApiServer;
using DesktopOperator.Testing.ApiServer;

// `dotnet run --project tests/DesktopOperator.TestApiServer -- --listen 127.0.0.1:0 --kubeconfig-out FILE [--crds crds/]`:
// the tests' API server (plain HTTP, or HTTPS with --tls) until Ctrl-C or SIGTERM, with a kubeconfig for kubectl, the operator and the
// simulated node. A bad option: one line on stderr, exit code 2; a server that cannot start: one line, exit code 1.
var parse = ServerCommandLine.CreateCommand().Parse(args);
if (parse.Errors.Count > 0)
{
    // One line naming the option and the cause, as the product's commands do, not the whole help text.
    await Console.Error.WriteLineAsync(
        $"{string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')).Distinct())} (see: DesktopOperator.TestApiServer --help)").ConfigureAwait(false);
    return 2;
}

if (parse.Action is not null)
{
    // --help (or --version): System.CommandLine's own action.
    return await parse.InvokeAsync().ConfigureAwait(false);
}

ServerCommandLine options;
try
{
    options = ServerCommandLine.Read(parse);
}
catch (FormatException e)
{
    await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
    return 2;
}

using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
await using var server = new TestApiServer(options.ToServerOptions());
try
{
    await server.StartAsync(stop.Token).ConfigureAwait(false);
    KubeconfigFile.Write(options.KubeconfigOut, server, options.Token);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ApiError)
{
    await Console.Error.WriteLineAsync($"test API server: cannot start on {options.Listen}: {e.Message}").ConfigureAwait(false);
    return 1;
}

var crds = options.CrdFiles.Count == 0 ? "no CRDs" : $"{options.CrdFiles.Count} CRD file(s) from {options.CrdFolder}";
await Console.Out.WriteLineAsync(
    $"Test API server listening on {server.BaseAddress.ToString().TrimEnd('/')} ({crds}); kubeconfig written to {Path.GetFullPath(options.KubeconfigOut)}; Ctrl-C stops it").ConfigureAwait(false);
try
{
    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    // Ctrl-C or SIGTERM: stop below.
}

return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
