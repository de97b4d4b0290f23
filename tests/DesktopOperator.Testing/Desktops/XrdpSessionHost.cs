using DesktopOperator.Testing.Waiting;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Desktops;

/// <summary>
/// xrdp 0.9.21 with xrdp-sesman (both <c>--nodaemon</c>, own config files) on one loopback address: an RDP user is
/// logged in for real (PAM, so a <see cref="LocalAccount"/>), sesman starts an Xvnc session owned by that user and
/// xrdp's libvnc joins it with the user's password. With sesman's <c>Policy=Default</c> (one session per user and
/// colour depth) a user who disconnects and comes back is given the same session (sesman logs
/// "++ reconnected session"). Needs root.
/// <para>xrdp reaches sesman at the session section's <c>ip</c> and the <c>ListenPort</c> it reads from
/// /etc/xrdp/sesman.ini (3350), so each host has its own loopback address and sesman listens there on that port.
/// Disposing kills xrdp and sesman with their descendants (the sessions) by PID.</para>
/// </summary>
public sealed partial class XrdpSessionHost : IAsyncDisposable
{
    private readonly ChildProcess _sesman;
    private readonly ChildProcess _xrdp;

    private XrdpSessionHost(ChildProcess sesman, ChildProcess xrdp, string hostName, IPEndPoint endpoint, string directory)
    {
        _sesman = sesman;
        _xrdp = xrdp;
        HostName = hostName;
        Endpoint = endpoint;
        Directory = directory;
    }

    public string HostName { get; }

    public IPEndPoint Endpoint { get; }

    public string Directory { get; }

    public static async Task<XrdpSessionHost> StartAsync(XrdpHostOptions options, CancellationToken cancellationToken)
    {
        LoopbackPorts.EnsureLoopback(options.Address);
        var xrdp = ExternalTools.Require("xrdp");
        var sesmanTool = ExternalTools.Require("xrdp-sesman");
        var directory = HostLogs.CreateDirectory("xrdp-sesman-" + options.HostName);
        // Sessions run as the test user: it must reach the window manager script through the folder.
        var windowManager = Path.Combine(directory, "session.sh");
        // The session lasts as long as its window manager: one that waits keeps the desktop up without any X client.
        File.WriteAllText(windowManager, "#!/bin/sh\nexec sleep 100000\n");
        MakeReadableByAll(Path.GetDirectoryName(directory)!, directory, windowManager);

        var sesmanEndpoint = new IPEndPoint(options.Address, SesmanPort());
        var sesmanIni = XrdpConfig.WriteSesman(directory, options.Address, sesmanEndpoint.Port, XDisplayNumbers.Next(), windowManager);
        var sesman = ChildProcess.Start("xrdp-sesman", sesmanTool, ["--nodaemon", "--config", sesmanIni], directory);
        if (!await PortProbe.WaitUntilOpenAsync(sesmanEndpoint, options.StartTimeout, () => sesman.HasExited, cancellationToken))
        {
            var why = HostLogs.Describe(directory);
            await sesman.DisposeAsync();
            HostLogs.Remove(directory);
            throw new InvalidOperationException($"xrdp-sesman on {sesmanEndpoint} did not start: {why}");
        }

        var port = options.Port != 0 ? options.Port : LoopbackPorts.GetFreePort(options.Address);
        var endpoint = new IPEndPoint(options.Address, port);
        var ini = XrdpConfig.WriteForSesman(directory, options.HostName, endpoint, options.Address);
        var process = ChildProcess.Start("xrdp", xrdp, ["--nodaemon", "--config", ini], directory);
        var ready = await Eventually.HoldsAsync(
            () => process.HasExited || ChildProcess.ReadShared(Path.Combine(directory, "xrdp.log")).Contains($"listening to port {port}", StringComparison.Ordinal),
            options.StartTimeout,
            cancellationToken)
            && !process.HasExited
            && await PortProbe.WaitUntilOpenAsync(endpoint, options.StartTimeout, () => process.HasExited, cancellationToken);
        if (!ready)
        {
            var why = HostLogs.Describe(directory);
            await process.DisposeAsync();
            await sesman.DisposeAsync();
            HostLogs.Remove(directory);
            throw new InvalidOperationException($"xrdp '{options.HostName}' on {endpoint} did not start: {why}");
        }

        return new XrdpSessionHost(sesman, process, options.HostName, endpoint, directory);
    }

    /// <summary>The PIDs of the Xvnc servers (desktop sessions) that <paramref name="account"/> owns now.</summary>
    public static IReadOnlyList<int> SessionServers(LocalAccount account) =>
        [.. account.ProcessIds().Where(pid => LocalAccount.CommandLine(pid).StartsWith("Xvnc ", StringComparison.Ordinal))];

    /// <summary>The X display ("N" of ":N") of an Xvnc session server, from its command line.</summary>
    public static int? DisplayOf(int processId) =>
        DisplayArgument().Match(LocalAccount.CommandLine(processId)) is { Success: true } m
            ? int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture)
            : null;

    /// <summary>Sessions sesman created for <paramref name="user"/> (new desktops, not reconnections).</summary>
    public int CountCreatedSessions(string user) =>
        Regex.Count(ChildProcess.ReadShared(Path.Combine(Directory, "sesman.log")), $@"\+\+ created session.*username {Regex.Escape(user)},");

    /// <summary>Times sesman gave <paramref name="user"/> back an existing session.</summary>
    public int CountReconnections(string user) =>
        Regex.Count(ChildProcess.ReadShared(Path.Combine(Directory, "sesman.log")), $@"\+\+ reconnected session: username {Regex.Escape(user)},");

    /// <summary>Times xrdp's libvnc completed joining a session's Xvnc (the desktop reached the RDP client).</summary>
    public int CountDesktopsJoined() =>
        Regex.Count(ChildProcess.ReadShared(Path.Combine(Directory, "xrdp.log")), @"\[INFO \] VNC connection complete, connected ok");

    public string Describe() => $"xrdp '{HostName}' on {Endpoint} with sesman; " + HostLogs.Describe(Directory);

    public async ValueTask DisposeAsync()
    {
        await _xrdp.DisposeAsync();
        await _sesman.DisposeAsync();
        HostLogs.Remove(Directory);
    }

    private static void MakeReadableByAll(params string[] paths)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("xrdp-sesman runs on Linux only");
        }

        const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        foreach (var path in paths)
        {
            File.SetUnixFileMode(path, Mode);
        }
    }

    /// <summary>Where xrdp looks for sesman: ListenPort in /etc/xrdp/sesman.ini, 3350 when absent.</summary>
    private static int SesmanPort()
    {
        const string SystemIni = "/etc/xrdp/sesman.ini";
        if (File.Exists(SystemIni)
            && ListenPortLine().Match(File.ReadAllText(SystemIni)) is { Success: true } m)
        {
            return int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture);
        }

        return 3350;
    }

    [GeneratedRegex(@"^\s*ListenPort\s*=\s*(?<port>\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ListenPortLine();

    [GeneratedRegex(@"^Xvnc :(?<n>\d+)\b")]
    private static partial Regex DisplayArgument();
}
