using System.Text.RegularExpressions;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.EndToEndTests.Cli;

/// <summary>
/// The RDP client block of "Try the operator without a cluster" (xfreerdp through a replica, in a window on an Xvfb
/// display) and the "sessions" block (<c>kubectl get dp,sr</c>, sesman's log). Each <see cref="ConnectAsync"/> runs
/// the client until the demo account is really logged in (sesman created its desktop, or handed it back, and xrdp
/// joined it: the lines RdpPoolGatewayTests reads too), sees the user's SessionRoute Active on the RDP pod, then stops
/// the client (a disconnect) and sees the route Disconnected on that pod while the desktop (its Xvnc) lives on.
/// </summary>
internal sealed partial class ReadmeRdpLook
{
    private const string Pool = "rdp-desktops";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly ReadmeShells _shells;
    private readonly XvfbDisplay _display;
    private readonly LocalAccount _account;
    private readonly string _pod;
    private readonly string _exports;
    private readonly string _sessions;
    private readonly string _home;
    private readonly Regex _created;
    private readonly Regex _reconnected;
    private int _connections;
    private int? _desktop;

    public ReadmeRdpLook(ReadmeShells shells, XvfbDisplay display, LocalAccount account, string pod, string client, string look)
    {
        _shells = shells;
        _display = display;
        _account = account;
        _pod = pod;
        // sesman's lines for the account: a new desktop, and the same desktop handed back.
        _created = new Regex($@"\+\+ created session.*username {Regex.Escape(account.Name)},");
        _reconnected = new Regex($@"\+\+ reconnected session: username {Regex.Escape(account.Name)},");
        Client = client;
        var commands = ReadmeShellBlocks.Commands(look);
        Assert.Equal(3, commands.Count);
        (_exports, _sessions, Grep) = (commands[0], commands[1], commands[2]);
        Assert.StartsWith("kubectl get dp,sr ", _sessions, StringComparison.Ordinal);
        Assert.StartsWith("xfreerdp /v:127.0.0.1:3389 ", client, StringComparison.Ordinal);
        // A private HOME keeps FreeRDP's ~/.config/freerdp out of root's folder.
        _home = Path.Combine(shells.LogDirectory, "freerdp-home");
        Directory.CreateDirectory(_home);
    }

    /// <summary>The README's client command (through the first replica).</summary>
    public string Client { get; }

    /// <summary>The README's <c>grep</c> of sesman's log.</summary>
    public string Grep { get; }

    /// <summary>The client command through the other replica, as the README says: <c>/v:127.0.0.2:3389</c>.</summary>
    public string ClientThroughSecond => Client.Replace("/v:127.0.0.1:3389", "/v:127.0.0.2:3389", StringComparison.Ordinal);

    /// <summary>One login with <paramref name="command"/>, then a disconnect; the first creates the desktop, every other returns to it.</summary>
    public async Task ConnectAsync(string command)
    {
        _connections++;
        var sesmanLog = Path.Combine(_shells.Root, ".sim", "xrdp", "sesman.log");
        var xrdpLog = Path.Combine(_shells.Root, ".sim", "xrdp", "xrdp.log");
        var environment = new Dictionary<string, string> { ["DISPLAY"] = _display.Name, ["HOME"] = _home };
        var client = _shells.Start($"xfreerdp-{_connections}", command, environment);
        bool LoggedIn() => Count(sesmanLog, _created) == 1 && Count(sesmanLog, _reconnected) == _connections - 1
            && Count(xrdpLog, JoinedLine()) == _connections;
        await Eventually.TrueAsync(
            async () =>
            {
                if (!LoggedIn() && client.HasExited)
                {
                    // Until a replica's health checks pass the pod it has no host for the user, and the client gives up.
                    Assert.Equal(_connections - 1, Count(xrdpLog, JoinedLine()));
                    await _shells.StopAsync(client);
                    client = _shells.Start($"xfreerdp-{_connections}-again", command, environment);
                }

                return LoggedIn();
            },
            () => $"{command}: no desktop for {_account.Name} (connection {_connections})\n{Logs(sesmanLog, xrdpLog)}",
            CancellationToken.None,
            Timeout);

        var servers = XrdpSessionHost.SessionServers(_account);
        Assert.True(servers.Count == 1, $"one desktop (Xvnc) of {_account.Name}: {servers.Count}\n{Logs(sesmanLog, xrdpLog)}");
        _desktop ??= servers[0];
        Assert.Equal(_desktop, servers[0]);
        await RouteAsync("Active");
        Assert.False(client.HasExited, $"{command} left the session:\n{client.ReadOutput()}");

        await _shells.StopAsync(client);
        await RouteAsync("Disconnected");
        Assert.True(ProcessSignals.IsAlive(_desktop.Value), $"the desktop ended on disconnect\n{Logs(sesmanLog, xrdpLog)}");
    }

    /// <summary>The sessions block: both pools, the routes of both users on their pods, and sesman's log lines.</summary>
    public async Task SessionsAsync(string vncPod)
    {
        var listed = (await _shells.RunCheckedAsync(_exports, _sessions)).Split('\n').Select(Columns).ToList();
        Assert.Contains(listed, c => c is ["DesktopPool", "vnc-desktops", ..]);
        Assert.Contains(listed, c => c is ["DesktopPool", Pool, "1", ..]);
        Assert.Contains(listed, c => c is ["SessionRoute", _, _, _, "vnc-desktops", "127.0.0.1", var host, "Disconnected"] && host == vncPod);
        Assert.Contains(listed, c => c is ["SessionRoute", _, _, _, Pool, var user, var host, "Disconnected"] && user == _account.Name && host == _pod);
        var grep = await _shells.RunCheckedAsync(_exports, Grep);
        Assert.Equal(1, _created.Count(grep));
        Assert.Equal(_connections - 1, _reconnected.Count(grep));
    }

    private async Task RouteAsync(string phase)
    {
        var last = string.Empty;
        await Eventually.TrueAsync(
            async () => (last = await _shells.RunCheckedAsync(_exports, _sessions)).Split('\n').Select(Columns)
                .Any(c => c is ["SessionRoute", _, _, _, Pool, var user, var host, var p] && user == _account.Name && host == _pod && p == phase),
            () => $"the route of {_account.Name} {phase} on {_pod}:\n{last}\n{_shells.Logs()}",
            CancellationToken.None,
            Timeout);
    }

    private string Logs(string sesmanLog, string xrdpLog) =>
        $"--- sesman.log:\n{ReadShared(sesmanLog)}\n--- xrdp.log (tail):\n{string.Join('\n', ReadShared(xrdpLog).Split('\n').TakeLast(40))}\n{_shells.Logs()}";

    private static int Count(string log, Regex line) => line.Count(ReadShared(log));

    /// <summary>A log file xrdp or sesman holds open, or empty before it exists.</summary>
    private static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"\[INFO \] VNC connection complete, connected ok")]
    private static partial Regex JoinedLine();
}
