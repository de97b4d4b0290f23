using System.Net;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Desktops;

/// <summary>
/// A TigerVNC Xvnc server on a loopback address and port, whose desktop name identifies it, with the server's default
/// security (VeNCrypt and VncAuth offered; the password in <see cref="PasswordFile"/>, made by <c>vncpasswd -f</c>)
/// unless the options ask for security None.
/// Started on a free X display (retried on a collision with another X server), ready once the port accepts
/// connections (greets with "RFB 003.008" for security None). Disposing kills it by PID and removes its folder.
/// </summary>
public sealed class XvncHost : IAsyncDisposable
{
    private const int Attempts = 5;
    private readonly ChildProcess _process;

    private XvncHost(ChildProcess process, XvncHostOptions options, IPEndPoint endpoint, int display, string? passwordFile)
    {
        _process = process;
        Password = options.Password;
        PasswordFile = passwordFile;
        DesktopName = options.DesktopName;
        Endpoint = endpoint;
        Display = display;
    }

    public string DesktopName { get; }

    /// <summary>The VNC password, or null for security None.</summary>
    public string? Password { get; }

    /// <summary>The <c>vncpasswd -f</c> file holding <see cref="Password"/> (for <c>-passwd FILE</c>), or null.</summary>
    public string? PasswordFile { get; }

    public IPEndPoint Endpoint { get; }

    public int Display { get; }

    public int ProcessId => _process.Id;

    public string LogDirectory => _process.LogDirectory;

    public bool IsRunning => !_process.HasExited;

    public static async Task<XvncHost> StartAsync(XvncHostOptions options, CancellationToken cancellationToken)
    {
        LoopbackPorts.EnsureLoopback(options.Address);
        var xvnc = ExternalTools.Require("Xvnc");
        var failures = new List<string>();
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var display = XDisplayNumbers.Next();
            var port = options.Port != 0 ? options.Port : LoopbackPorts.GetFreePort(options.Address);
            var endpoint = new IPEndPoint(options.Address, port);
            var folder = HostLogs.CreateDirectory("xvnc-" + options.DesktopName);
            var passwordFile = options.Password is null ? null : await WritePasswordFileAsync(folder, options.Password, cancellationToken);
            string[] security = passwordFile is null ? ["-SecurityTypes", "None"] : ["-rfbauth", passwordFile];
            var process = ChildProcess.Start(
                "xvnc",
                xvnc,
                [
                    $":{display}", "-rfbport", port.ToString(), "-interface", options.Address.ToString(),
                    .. security, "-desktop", options.DesktopName, "-geometry", options.Geometry,
                    "-nolisten", "tcp", "-AlwaysShared",
                ],
                folder);
            // With a password, reading the banner would count as a failed login: an open port (connect, reset) will do.
            var ready = passwordFile is null
                ? await PortProbe.WaitForBannerAsync(endpoint, "RFB 003.", options.StartTimeout, () => process.HasExited, cancellationToken)
                : await PortProbe.WaitUntilOpenAsync(endpoint, options.StartTimeout, () => process.HasExited, cancellationToken);
            if (ready)
            {
                return new XvncHost(process, options, endpoint, display, passwordFile);
            }

            failures.Add($"attempt {attempt} (display :{display}, {endpoint}): {HostLogs.Describe(process.LogDirectory)}");
            await process.DisposeAsync();
            HostLogs.Remove(folder);
        }

        throw new InvalidOperationException($"Xvnc '{options.DesktopName}' did not start:\n" + string.Join('\n', failures));
    }

    /// <summary>Writes <paramref name="password"/> with TigerVNC's own <c>vncpasswd -f</c> (its 8-byte DES-obfuscated format).</summary>
    public static async Task<string> WritePasswordFileAsync(string folder, string password, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, "passwd");
        var result = await ProcessRunner.RunAsync(
            ExternalTools.Require("sh"),
            ["-c", "vncpasswd -f > \"$1\"", "sh", path],
            TimeSpan.FromSeconds(10),
            cancellationToken,
            standardInput: password + "\n");
        if (result.ExitCode != 0 || new FileInfo(path).Length != 8)
        {
            throw new InvalidOperationException($"vncpasswd -f did not write {path}: {result}");
        }

        return path;
    }

    /// <summary>The captured logs, for assertion messages.</summary>
    public string Describe() => $"Xvnc '{DesktopName}' on {Endpoint} (display :{Display}, pid {ProcessId}); " + HostLogs.Describe(LogDirectory);

    /// <summary>Kills the server by PID now (a host failing mid-test); the fixture stays disposable.</summary>
    public Task KillAsync() => _process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        // After a SIGKILL the server could not remove its lock file and socket; they are ours to clean.
        File.Delete($"/tmp/.X{Display}-lock");
        File.Delete($"/tmp/.X11-unix/X{Display}");
        HostLogs.Remove(LogDirectory);
    }
}
