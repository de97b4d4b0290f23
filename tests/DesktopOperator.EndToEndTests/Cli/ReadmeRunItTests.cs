using System.Net;
using System.Net.Sockets;
using DesktopOperator.Testing;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.EndToEndTests.Cli;

/// <summary>
/// The README's "Run it" section, run as written from the repository root: its first block in one shell (the last
/// command, <c>dotnet run … standalone</c>, stays in the foreground), then each command of its second block in a
/// second shell once the gateway is ready, including a real VNC client that must see a host's desktop name. Only the
/// local hosts' PID folder is moved (<c>LOCAL_HOSTS_DIR</c>) so a user's own run is left alone. Everything started is
/// stopped by PID (the first shell's process group).
/// </summary>
[Collection(ReadmePorts.Collection)]
public sealed class ReadmeRunItTests
{
    private static readonly Uri Readyz = new("http://127.0.0.1:8080/readyz");
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    // dotnet run builds the Debug configuration of the executable first: minutes on a busy 2-core machine.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    [ToolFact("dotnet", "setsid", "Xvnc", "vncsnapshot", "curl")]
    public async Task RunIt_CommandsAsWrittenFromRepositoryRoot_VncClientSeesAHostsDesktop()
    {
        var root = RepositoryPaths.Root;
        var blocks = ReadmeShellBlocks.Of(await File.ReadAllTextAsync(Path.Combine(root, "README.md")), "Run it");
        Assert.Equal(2, blocks.Count);
        var foreground = ReadmeShellBlocks.Commands(blocks[0])[^1];
        Assert.StartsWith("dotnet run --project src/DesktopOperator -- standalone", foreground, StringComparison.Ordinal);
        var clientCommands = ReadmeShellBlocks.Commands(blocks[1]);
        Assert.Contains(clientCommands, c => c.StartsWith("vncsnapshot ", StringComparison.Ordinal));
        foreach (var port in new[] { 8080, 5900, 2222 })
        {
            Assert.True(IsFree(port), $"port {port} of the README's pools is taken on this machine; the test cannot run as written");
        }

        var logs = HostLogs.CreateDirectory("readme-run-it");
        var environment = new Dictionary<string, string> { ["LOCAL_HOSTS_DIR"] = Path.Combine(logs, "local-hosts") };
        var created = new[] { ".state", "shot.jpg" }.Where(p => !Path.Exists(Path.Combine(root, p))).ToList();
        var shell = ChildProcess.Start("shell-1", "bash", ["-c", "cd \"$0\" || exit 1\nset -e\n" + blocks[0], root], logs, environment);
        try
        {
            await WaitUntilReadyAsync(shell);
            foreach (var command in clientCommands)
            {
                var result = await ProcessRunner.RunAsync(
                    "bash", ["-c", "cd \"$0\" && " + command, root], CommandTimeout, CancellationToken.None, environment);
                Assert.True(result.Succeeded, $"README command failed: {command}\n{result}\n{shell.ReadOutput()}");
                if (command.StartsWith("vncsnapshot ", StringComparison.Ordinal))
                {
                    // vncsnapshot prints the server's desktop name: the host the gateway picked.
                    Assert.Matches("Desktop name \"host-[ab]\"", result.Stdout + result.Stderr);
                    Assert.True(new FileInfo(Path.Combine(root, "shot.jpg")).Length > 0, result.ToString());
                }
                else if (command.Contains("/readyz", StringComparison.Ordinal))
                {
                    Assert.Equal("ready", result.Stdout.Trim());
                }
                else if (command.Contains("/api/status", StringComparison.Ordinal))
                {
                    Assert.Contains("\"pool\":\"default/vnc-local\"", result.Stdout, StringComparison.Ordinal);
                }
            }
        }
        finally
        {
            await shell.StopAsync(TimeSpan.FromSeconds(15));
            await shell.DisposeAsync();
            foreach (var path in created.Select(p => Path.Combine(root, p)))
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
                else
                {
                    File.Delete(path);
                }
            }

            HostLogs.Remove(logs);
        }
    }

    private static bool IsFree(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task WaitUntilReadyAsync(ChildProcess shell)
    {
        using var limit = new CancellationTokenSource(StartTimeout);
        while (!limit.IsCancellationRequested)
        {
            Assert.False(shell.HasExited, "the README's first block ended:\n" + shell.ReadOutput());
            try
            {
                using var response = await Http.GetAsync(Readyz, limit.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Still building or starting.
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }

        Assert.Fail($"{Readyz} did not answer 200 within {StartTimeout}:\n{shell.ReadOutput()}");
    }
}
