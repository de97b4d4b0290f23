using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Proxies;

/// <summary>
/// Our gateway as a proxy under test: <c>desktop-operator standalone --manifests DIR --state DIR</c> over one generated
/// DesktopPool whose gateway port is free on <see cref="ProxySetup.ListenAddress"/>.
/// PLACEHOLDER until standalone mode lands: the command line and manifest shape are the issue's; the lead adjusts
/// <see cref="Arguments"/> (e.g. a listen-address option) and <see cref="GatewayManifests"/> to the final CLI and API.
/// The executable is <c>$DESKTOP_OPERATOR_EXE</c>, else the built <c>src/DesktopOperator/bin/{Release,Debug}/net10.0/desktop-operator</c>
/// (the caller's configuration first).
/// </summary>
public sealed class GatewayProxy(string name = "gateway") : IProxyUnderTest
{
    public string Name { get; } = name;

    public static IReadOnlyList<string> Arguments(string manifests, string state) =>
        ["standalone", "--manifests", manifests, "--state", state];

    public async Task<RunningProxy> StartAsync(ProxySetup setup, CancellationToken cancellationToken)
    {
        var executable = FindExecutable();
        var directory = HostLogs.CreateDirectory(Name);
        var manifests = Directory.CreateDirectory(Path.Combine(directory, "manifests")).FullName;
        var state = Directory.CreateDirectory(Path.Combine(directory, "state")).FullName;
        var endpoint = LoopbackPorts.GetFreeEndPoint(setup.ListenAddress);
        await File.WriteAllTextAsync(
            Path.Combine(manifests, "bench.yaml"), GatewayManifests.DesktopPool("bench", setup, endpoint.Port), cancellationToken);
        var process = ChildProcess.Start(
            "gateway", executable, Arguments(manifests, state), directory,
            // Per-connection logging would measure the console, not the proxy.
            new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" });
        if (!await PortProbe.WaitUntilOpenAsync(endpoint, TimeSpan.FromSeconds(30), () => process.HasExited, cancellationToken))
        {
            var logs = HostLogs.Describe(directory);
            await process.DisposeAsync();
            HostLogs.Remove(directory);
            throw new InvalidOperationException($"the gateway did not listen on {endpoint}: {logs}");
        }

        return new RunningProxy(Name, endpoint, process, directory);
    }

    /// <summary>$DESKTOP_OPERATOR_EXE, else the build output of src/DesktopOperator.</summary>
    public static string FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("DESKTOP_OPERATOR_EXE") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException("DESKTOP_OPERATOR_EXE does not exist", configured);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
            {
                // The caller's own configuration first: a Release benchmark measures a Release gateway.
                var own = AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
                var built = new[] { own, own == "Release" ? "Debug" : "Release" }
                    .Select(c => Path.Combine(dir.FullName, "src", "DesktopOperator", "bin", c, "net10.0", "desktop-operator"))
                    .FirstOrDefault(File.Exists);
                return built ?? throw new FileNotFoundException(
                    "desktop-operator is not built: run `dotnet build src/DesktopOperator -c Release` or set DESKTOP_OPERATOR_EXE");
            }
        }

        throw new FileNotFoundException("no Operator.sln above " + AppContext.BaseDirectory);
    }
}
