using System.Globalization;
using System.Net;
using System.Text.Json;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Proxies;

/// <summary>
/// One <c>desktop-operator standalone</c> process over folders the caller owns (so a test can stop it and start
/// another on the same state), with its HTTP endpoint on a free loopback port. Disposing kills it by PID; the
/// folders stay.
/// </summary>
public sealed class StandaloneGateway : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly ChildProcess _process;

    private StandaloneGateway(ChildProcess process, Uri adminUri, string directory)
    {
        _process = process;
        AdminUri = adminUri;
        Directory = directory;
    }

    /// <summary>The HTTP endpoint: /metrics, /healthz, /readyz, /api/status.</summary>
    public Uri AdminUri { get; }

    /// <summary>The folder of the process's logs.</summary>
    public string Directory { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    internal ChildProcess Process => _process;

    public static IReadOnlyList<string> Arguments(StandaloneGatewayOptions options, Uri admin)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(admin);
        var setup = options.Setup;
        return
        [
        "standalone", "--manifests", options.Manifests, "--state", options.State,
        "--listen-address", options.ListenAddress.ToString(),
        "--http", admin.ToString().TrimEnd('/'),
        // Tests stop gateways often: live connections get one second, not thirty.
        "--drain-time", "1s",
        "--rescan-interval", "1s",
        "--connect-timeout", Milliseconds(setup?.ConnectTimeout ?? TimeSpan.FromSeconds(5)),
        "--idle-timeout", Milliseconds(setup?.IdleTimeout ?? TimeSpan.FromMinutes(5)),
        .. options.ExtraArguments,
        ];
    }

    /// <summary>
    /// Starts the gateway with logs in the options' directory and returns once <c>/readyz</c> answers 200 (its
    /// manifests are applied and listeners bound), or throws with its logs.
    /// </summary>
    public static async Task<StandaloneGateway> StartAsync(StandaloneGatewayOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = options.Directory;
        var executable = options.Executable ?? GatewayProxy.FindExecutable();
        var admin = new Uri($"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback).ToString(CultureInfo.InvariantCulture)}/");
        var process = ChildProcess.Start(
            options.Name, executable, Arguments(options, admin), directory,
            // Per-connection logging would measure the console, not the proxy; manifest errors are logged as errors.
            new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" });
        var gateway = new StandaloneGateway(process, admin, directory);
        if (!await gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(30), cancellationToken))
        {
            var logs = HostLogs.Describe(directory);
            await process.DisposeAsync();
            throw new InvalidOperationException($"the gateway did not become ready on {admin}readyz: {logs}");
        }

        return gateway;
    }

    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri(AdminUri, path), cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>/api/status as JSON.</summary>
    public async Task<JsonElement> GetStatusAsync(CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await GetTextAsync("/api/status", cancellationToken));
        return document.RootElement.Clone();
    }

    /// <summary>Asks the gateway to stop (SIGTERM by PID) and waits up to <paramref name="grace"/> before killing it.</summary>
    public async Task<int?> StopAsync(TimeSpan grace)
    {
        await _process.StopAsync(grace);
        return _process.ExitCode;
    }

    public Task KillAsync() => _process.KillAsync();

    public string Describe() => $"gateway pid {ProcessId} at {AdminUri}; " + HostLogs.Describe(Directory);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static string Milliseconds(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    private async Task<bool> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (!_process.HasExited)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri(AdminUri, "/readyz"), limit.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), limit.Token);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        return false;
    }
}
