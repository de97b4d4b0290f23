using System.Diagnostics;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Testing.Processes;

/// <summary>
/// A long-running external process (a desktop host, a proxy) started in its own process group through
/// <c>setsid</c>, its stdout and stderr written to files in a log folder. Disposing kills the group, the process and
/// every descendant by id, then waits (bounded) for it to exit. Thread-safe for <see cref="DisposeAsync"/>.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);
    private readonly Process _process;
    private readonly StreamWriter _stdout;
    private readonly StreamWriter _stderr;
    private readonly Lock _gate = new();
    private int _disposed;

    private ChildProcess(Process process, string name, string logDirectory, StreamWriter stdout, StreamWriter stderr)
    {
        _process = process;
        _stdout = stdout;
        _stderr = stderr;
        Name = name;
        LogDirectory = logDirectory;
    }

    public string Name { get; }

    /// <summary>The PID, which is also the process group id (setsid).</summary>
    public int Id => _process.Id;

    public string LogDirectory { get; }

    public string StdoutPath => Path.Combine(LogDirectory, Name + ".stdout.log");

    public string StderrPath => Path.Combine(LogDirectory, Name + ".stderr.log");

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the process has exited by itself or been killed; null while it runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Waits for the process to exit by itself; false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
            return true;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts <paramref name="executable"/> with <paramref name="arguments"/> as the leader of a new process group.
    /// <paramref name="name"/> names the log files in <paramref name="logDirectory"/>.
    /// </summary>
    public static ChildProcess Start(
        string name,
        string executable,
        IEnumerable<string> arguments,
        string logDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        Directory.CreateDirectory(logDirectory);
        // setsid execs in place when its caller is not a group leader (a freshly forked child never is), so the PID
        // we get is the tool's own, and the tool leads its own group.
        var info = new ProcessStartInfo(ExternalTools.Require("setsid"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = logDirectory,
        };
        info.ArgumentList.Add(executable);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var stdout = new StreamWriter(Path.Combine(logDirectory, name + ".stdout.log")) { AutoFlush = true };
        var stderr = new StreamWriter(Path.Combine(logDirectory, name + ".stderr.log")) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process, name, logDirectory, stdout, stderr);
        process.OutputDataReceived += (_, e) => child.Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Writes a line to the process's stdin (kept open for its lifetime).</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The captured stdout and stderr so far.</summary>
    public string ReadOutput()
    {
        lock (_gate)
        {
            return ReadShared(StdoutPath) + ReadShared(StderrPath);
        }
    }

    /// <summary>Each process's name, pid, exit code once exited, and output so far: the tail of a failure message.</summary>
    public static string Describe(IEnumerable<ChildProcess> processes) =>
        string.Join('\n', processes.Select(p => $"--- {p.Name} (pid {p.Id}{(p.HasExited ? $", exited {p.ExitCode}" : string.Empty)}):\n{p.ReadOutput()}"));

    /// <summary>Kills the group and descendants by id and waits (bounded) for the process to exit.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
        {
            // Members of its group may live on; a group id is never reused as a PID while the group exists.
            ProcessSignals.SignalGroup(_process.Id, ProcessSignals.SigKill);
        }
        else
        {
            ProcessSignals.KillTree(_process.Id);
        }

        using var wait = new CancellationTokenSource(ExitWait);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested)
        {
            // A process that survives SIGKILL for seconds is stuck in the kernel; nothing more can be done here.
        }
    }

    /// <summary>
    /// Asks the group to stop (SIGTERM) so tools can remove their sockets and lock files, then kills what is left
    /// after <paramref name="grace"/>.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        // Children that left the group (sshd's per-connection processes) are found while their parent still lives.
        var descendants = _process.HasExited ? [] : ProcessSignals.Descendants(_process.Id);
        if (!_process.HasExited)
        {
            ProcessSignals.SignalGroup(_process.Id, ProcessSignals.SigTerm);
            using var wait = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException) when (wait.IsCancellationRequested)
            {
                // Did not stop in time: killed below.
            }
        }

        await KillAsync();
        foreach (var pid in descendants)
        {
            ProcessSignals.Signal(pid, ProcessSignals.SigKill);
        }

        // SIGKILL takes effect asynchronously (on a loaded machine a moment later): the caller sees them gone.
        await Eventually.HoldsAsync(() => descendants.All(pid => !ProcessSignals.IsAlive(pid)), TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(TimeSpan.FromSeconds(3));
        lock (_gate)
        {
            _stdout.Dispose();
            _stderr.Dispose();
        }

        _process.Dispose();
    }

    /// <summary>Reads a file another writer holds open.</summary>
    internal static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private void Append(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed == 0)
            {
                writer.WriteLine(line);
            }
        }
    }
}
