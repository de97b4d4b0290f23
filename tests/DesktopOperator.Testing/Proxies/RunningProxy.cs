using System.Net;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Proxies;

/// <summary>
/// A started proxy: where clients connect, its process (for memory readings), its logs. Disposing stops the process
/// by PID and removes its folder.
/// </summary>
public sealed class RunningProxy : IAsyncDisposable
{
    private readonly ChildProcess _process;

    public RunningProxy(string name, IPEndPoint endPoint, ChildProcess process, string directory)
    {
        Name = name;
        EndPoint = endPoint;
        _process = process;
        Directory = directory;
    }

    public string Name { get; }

    /// <summary>Where clients connect.</summary>
    public IPEndPoint EndPoint { get; }

    public int ProcessId => _process.Id;

    public bool IsRunning => !_process.HasExited;

    /// <summary>The folder with the generated configuration and logs.</summary>
    public string Directory { get; }

    /// <summary>
    /// Resident memory of the proxy process and its descendants (socat forks a process per connection) in bytes.
    /// </summary>
    public long ResidentBytes() =>
        (ProcessSignals.ResidentBytes(ProcessId) ?? 0)
        + ProcessSignals.Descendants(ProcessId).Sum(pid => ProcessSignals.ResidentBytes(pid) ?? 0);

    public string Describe() => $"{Name} on {EndPoint} (pid {ProcessId}); " + HostLogs.Describe(Directory);

    /// <summary>Kills the proxy by PID now.</summary>
    public Task KillAsync() => _process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        HostLogs.Remove(Directory);
    }
}
