using System.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.EndToEndTests.Cli;

/// <summary>
/// The shells of a README walk-through, run from the repository root: a block that starts a program runs in a shell
/// of its own (<c>set -e</c>, its last command in the foreground), a "look" command runs in a fresh shell after the
/// block's exports, as a user at that prompt. Every shell is stopped by PID (its process group), last started first.
/// </summary>
internal sealed class ReadmeShells : IAsyncDisposable
{
    // dotnet run builds the Debug configuration of each program first: minutes on a busy 2-core machine.
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly List<ChildProcess> _shells = [];

    public ReadmeShells(string root, string logs)
    {
        Root = root;
        LogDirectory = logs;
    }

    public string Root { get; }

    public string LogDirectory { get; }

    /// <summary>Starts <paramref name="block"/> in a shell of its own and waits until <paramref name="started"/> holds.</summary>
    public async Task<ChildProcess> StartAsync(string name, string block, Func<ChildProcess, Task<bool>> started, string what)
    {
        var shell = Start(name, block);
        await WaitAsync(shell, started, StartTimeout, what);
        return shell;
    }

    /// <summary>Starts <paramref name="block"/> in a shell of its own, with <paramref name="environment"/> added.</summary>
    public ChildProcess Start(string name, string block, IReadOnlyDictionary<string, string>? environment = null)
    {
        var shell = ChildProcess.Start(name, "bash", ["-c", "cd \"$0\" || exit 1\nset -e\n" + block, Root], LogDirectory, environment);
        _shells.Add(shell);
        return shell;
    }

    /// <summary>Stops one shell (its process group) and forgets it.</summary>
    public async Task StopAsync(ChildProcess shell)
    {
        _shells.Remove(shell);
        await shell.StopAsync(TimeSpan.FromSeconds(15));
        await shell.DisposeAsync();
    }

    public async Task WaitAsync(ChildProcess shell, Func<ChildProcess, Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (!await condition(shell))
        {
            Assert.False(shell.HasExited, $"{what}: the shell ended\n{Logs()}");
            Assert.False(limit.IsCancellationRequested, $"{what}: not within {timeout}\n{Logs()}");
            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }
    }

    /// <summary>One command in a fresh shell after the block's <paramref name="exports"/> line.</summary>
    public Task<ProcessResult> RunAsync(string exports, string command) =>
        ProcessRunner.RunAsync("bash", ["-c", $"cd \"$0\" && {exports} && {command}", Root], CommandTimeout, CancellationToken.None);

    /// <summary>Runs <paramref name="command"/> and fails the test when it fails; its stdout and stderr.</summary>
    public async Task<string> RunCheckedAsync(string exports, string command)
    {
        var result = await RunAsync(exports, command);
        Assert.True(result.Succeeded, $"README command failed: {command}\n{result}\n{Logs()}");
        return result.Stdout + result.Stderr;
    }

    public string Logs() => string.Join('\n', _shells.Select(s => $"--- {s.Name}:\n{s.ReadOutput()}"));

    public static async Task<bool> ReadyzAsync(Uri readyz)
    {
        try
        {
            using var response = await Http.GetAsync(readyz);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false; // still building or starting
        }
        catch (TaskCanceledException)
        {
            return false; // a slow answer while the machine builds
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _shells.Count - 1; i >= 0; i--)
        {
            await _shells[i].StopAsync(TimeSpan.FromSeconds(15));
            await _shells[i].DisposeAsync();
        }

        _shells.Clear();
    }
}
