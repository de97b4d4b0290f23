using System.Net;
using System.Text.RegularExpressions;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Testing.Desktops;

/// <summary>
/// xrdp 0.9.21 (<c>xrdp --nodaemon --config FILE</c>, no sesman) on a loopback address and port, in front of its own
/// <see cref="XvncHost"/> (desktop name = host name). Any RDP user and password reach the VNC session. Which host
/// served a client is read from xrdp's own log: "Client supplied username: U" (see <see cref="CountLogins"/>).
/// Note xrdp listens with a backlog of 2: it is not a load-test target. Disposing kills xrdp and the Xvnc by PID.
/// </summary>
public sealed partial class XrdpHost : IAsyncDisposable
{
    private const int Attempts = 3;
    private readonly ChildProcess _process;

    private XrdpHost(ChildProcess process, string hostName, IPEndPoint endpoint, XvncHost desktop, string directory)
    {
        _process = process;
        HostName = hostName;
        Endpoint = endpoint;
        Desktop = desktop;
        Directory = directory;
    }

    public string HostName { get; }

    public IPEndPoint Endpoint { get; }

    /// <summary>The host's own VNC desktop, which xrdp's libvnc session connects to.</summary>
    public XvncHost Desktop { get; }

    public int ProcessId => _process.Id;

    public bool IsRunning => !_process.HasExited;

    public string Directory { get; }

    public string LogPath => Path.Combine(Directory, "xrdp.log");

    public static async Task<XrdpHost> StartAsync(XrdpHostOptions options, CancellationToken cancellationToken)
    {
        LoopbackPorts.EnsureLoopback(options.Address);
        var xrdp = ExternalTools.Require("xrdp");
        // Security None: this Xvnc is xrdp's session backend, reached only by xrdp's libvnc module (see XrdpConfig).
        var desktop = await XvncHost.StartAsync(new XvncHostOptions(options.HostName, options.Address) { Password = null }, cancellationToken);
        var directory = HostLogs.CreateDirectory("xrdp-" + options.HostName);
        var failures = new List<string>();
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var port = options.Port != 0 ? options.Port : LoopbackPorts.GetFreePort(options.Address);
            var endpoint = new IPEndPoint(options.Address, port);
            var ini = XrdpConfig.Write(directory, options.HostName, endpoint, desktop.Endpoint);
            var process = ChildProcess.Start("xrdp", xrdp, ["--nodaemon", "--config", ini], directory);
            // Ready when xrdp says it listens (its log) and the port accepts; RDP clients speak first, so no banner.
            var ready = await Eventually.HoldsAsync(
                () => process.HasExited || ChildProcess.ReadShared(Path.Combine(directory, "xrdp.log")).Contains($"listening to port {port}", StringComparison.Ordinal),
                options.StartTimeout,
                cancellationToken)
                && !process.HasExited
                && await PortProbe.WaitUntilOpenAsync(endpoint, options.StartTimeout, () => process.HasExited, cancellationToken);
            if (ready)
            {
                return new XrdpHost(process, options.HostName, endpoint, desktop, directory);
            }

            failures.Add($"attempt {attempt} ({endpoint}): {HostLogs.Describe(directory)}");
            await process.DisposeAsync();
            File.Delete(Path.Combine(directory, "xrdp.log"));
        }

        await desktop.DisposeAsync();
        HostLogs.Remove(directory);
        throw new InvalidOperationException($"xrdp '{options.HostName}' did not start:\n" + string.Join('\n', failures));
    }

    /// <summary>Users that completed the RDP login exchange with this host, in order (xrdp's DEBUG log).</summary>
    public IReadOnlyList<string> Logins() =>
        [.. LoginLine().Matches(ChildProcess.ReadShared(LogPath)).Select(m => m.Groups["user"].Value)];

    /// <summary>How many times <paramref name="user"/> logged in here.</summary>
    public int CountLogins(string user) => Logins().Count(u => string.Equals(u, user, StringComparison.Ordinal));

    /// <summary>How many VNC sessions xrdp started towards its own Xvnc (see <see cref="WaitForVncSessionsAsync"/>).</summary>
    public int CountVncSessions() =>
        Regex.Count(ChildProcess.ReadShared(LogPath), $@"\[INFO \] VNC connecting to {Regex.Escape(Desktop.Endpoint.Address.ToString())} {Desktop.Endpoint.Port}\b");

    /// <summary>
    /// Waits until xrdp has started <paramref name="count"/> VNC sessions. xrdp starts one after the RDP login, but an
    /// +auth-only client usually hangs up before that (xrdp logs "SSL_write: I/O error"): only a client that stays
    /// connected is sure to cause one. Use <see cref="WaitForLoginsAsync"/> for +auth-only clients.
    /// </summary>
    public Task<bool> WaitForVncSessionsAsync(int count, TimeSpan timeout, CancellationToken cancellationToken) =>
        Eventually.HoldsAsync(() => CountVncSessions() >= count, timeout, cancellationToken);

    /// <summary>Waits until <paramref name="user"/> has logged in at least <paramref name="count"/> times.</summary>
    public Task<bool> WaitForLoginsAsync(string user, int count, TimeSpan timeout, CancellationToken cancellationToken) =>
        Eventually.HoldsAsync(() => CountLogins(user) >= count, timeout, cancellationToken);

    public string Describe() =>
        $"xrdp '{HostName}' on {Endpoint} (pid {ProcessId}) -> Xvnc {Desktop.Endpoint}; " + HostLogs.Describe(Directory)
        + "\n" + Desktop.Describe();

    /// <summary>Kills xrdp by PID now (a host failing mid-test); its Xvnc keeps running until disposed.</summary>
    public Task KillAsync() => _process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        await Desktop.DisposeAsync();
        HostLogs.Remove(Directory);
    }

    [GeneratedRegex(@"Client supplied username: (?<user>\S+)")]
    private static partial Regex LoginLine();
}
