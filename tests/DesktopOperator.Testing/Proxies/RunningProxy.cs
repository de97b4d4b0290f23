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

    /// <summary>The proxy's HTTP endpoint (our gateway: /metrics, /readyz, /api/status); null for proxies without one.</summary>
    public Uri? AdminUri { get; init; }

    /// <summary>The folder with the generated configuration and logs.</summary>
    public string Directory { get; }

    /// <summary>
    /// Resident memory of the proxy in bytes: VmRSS of its process; for a proxy that forks per connection (socat),
    /// the sum of Pss over the process and its descendants, so shared pages are not counted once per child.
    /// </summary>
    public long ResidentBytes()
    {
        var children = ProcessSignals.Descendants(ProcessId);
        return children.Count == 0
            ? ProcessSignals.ResidentBytes(ProcessId) ?? 0
            : children.Prepend(ProcessId).Sum(pid => ProcessSignals.ProportionalBytes(pid) ?? 0);
    }

    public string Describe() => $"{Name} on {EndPoint} (pid {ProcessId}); " + HostLogs.Describe(Directory);

    /// <summary>Kills the proxy by PID now.</summary>
    public Task KillAsync() => _process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        HostLogs.Remove(Directory);
    }
}
