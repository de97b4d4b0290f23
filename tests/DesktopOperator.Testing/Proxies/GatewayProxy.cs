using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;

namespace DesktopOperator.Testing.Proxies;

/// <summary>
/// Our gateway as a proxy under test: <c>desktop-operator standalone</c> (see <see cref="StandaloneGateway"/>) over one
/// generated DesktopPool whose gateway port is free on <see cref="ProxySetup.ListenAddress"/>; ready when
/// <c>/readyz</c> answers (the configuration is applied and its listeners are bound).
/// The executable is <c>$DESKTOP_OPERATOR_EXE</c>, else the built <c>src/DesktopOperator/bin/{Release,Debug}/net10.0/desktop-operator</c>
/// (the caller's configuration first). A candidate named <c>gateway-SUFFIX</c> runs <c>$DESKTOP_OPERATOR_EXE_SUFFIX</c>
/// when that is set (upper case, '-' as '_'), so one benchmark run can alternate two builds.
/// </summary>
public sealed class GatewayProxy(string name = "gateway") : IProxyUnderTest
{
    public string Name { get; } = name;

    /// <summary>The manifest file's name in the gateway's manifest folder (<c>manifests/</c> under <see cref="RunningProxy.Directory"/>).</summary>
    public const string ManifestFile = "pool.yaml";

    /// <summary>The pool's name; its key in /api/status is <c>default/</c> + this.</summary>
    public const string PoolName = "desktops";

    public async Task<RunningProxy> StartAsync(ProxySetup setup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var directory = HostLogs.CreateDirectory(Name);
        var manifests = Directory.CreateDirectory(Path.Combine(directory, "manifests")).FullName;
        var state = Directory.CreateDirectory(Path.Combine(directory, "state")).FullName;
        var endpoint = LoopbackPorts.GetFreeEndPoint(setup.ListenAddress);
        await File.WriteAllTextAsync(
            Path.Combine(manifests, ManifestFile), GatewayManifests.DesktopPool(PoolName, setup, endpoint.Port), cancellationToken);
        StandaloneGateway gateway;
        try
        {
            gateway = await StandaloneGateway.StartAsync(
                new StandaloneGatewayOptions(manifests, state, setup.ListenAddress, directory) { Setup = setup, Name = Name, Executable = OwnExecutable() },
                cancellationToken);
        }
        catch (InvalidOperationException)
        {
            HostLogs.Remove(directory);
            throw;
        }

        // No probe connection on the gateway port: it would make a route and move the round-robin position.
        return new RunningProxy(Name, endpoint, gateway.Process, directory) { AdminUri = gateway.AdminUri };
    }

    /// <summary>$DESKTOP_OPERATOR_EXE_SUFFIX for a candidate named gateway-SUFFIX, when set; else null (the default).</summary>
    private string? OwnExecutable()
    {
        var suffix = Name.Split('-', 2) is [_, var s] ? s : null;
        if (suffix is null || Environment.GetEnvironmentVariable("DESKTOP_OPERATOR_EXE_" + suffix.ToUpperInvariant().Replace('-', '_')) is not { Length: > 0 } path)
        {
            return null;
        }

        return File.Exists(path) ? path : throw new FileNotFoundException($"DESKTOP_OPERATOR_EXE_{suffix.ToUpperInvariant()} does not exist", path);
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
