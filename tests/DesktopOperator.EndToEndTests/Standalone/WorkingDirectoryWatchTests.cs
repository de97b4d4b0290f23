using System.Net;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.EndToEndTests.Standalone;

/// <summary>
/// The gateway watches its manifests and its state, not the directory it was started in: .NET's default reload of
/// <c>appsettings.json</c> on change would put one recursive inotify watch on the working directory, a watch on every
/// directory below it (the whole repository under the README's command).
/// </summary>
public sealed class WorkingDirectoryWatchTests
{
    private const int UnrelatedDirectories = 40;

    [ToolFact("setsid")]
    public async Task Standalone_StartedAboveManyDirectories_WatchesOnlyItsOwnFolders()
    {
        using var folders = new GatewayFolders("cwd-watch");
        for (var i = 0; i < UnrelatedDirectories; i++)
        {
            Directory.CreateDirectory(Path.Combine(folders.Root, "unrelated", $"d{i}"));
        }

        var backend = new IPEndPoint(LoopbackPorts.Address(61), LoopbackPorts.GetFreePort(IPAddress.Loopback));
        folders.WritePool(
            GatewayProxy.ManifestFile,
            new ProxySetup(IPAddress.Loopback, [new ProxyBackend("watch-a", backend)], ProxyBalancing.RoundRobin) { ProtocolKind = "Tcp" },
            LoopbackPorts.GetFreePort(IPAddress.Loopback));

        // The process starts in folders.Root, above the unrelated directories.
        await using var gateway = await StandaloneGateway.StartAsync(folders.Options("gateway"), CancellationToken.None);

        var watches = InotifyWatches(gateway.ProcessId);
        Assert.InRange(watches, 1, 10);
    }

    /// <summary>The process's inotify watches: one <c>inotify wd:</c> line per watch in the fdinfo of each inotify descriptor.</summary>
    private static int InotifyWatches(int processId)
    {
        var count = 0;
        foreach (var fd in Directory.EnumerateFiles($"/proc/{processId}/fd"))
        {
            if (new FileInfo(fd).LinkTarget == "anon_inode:inotify")
            {
                count += File.ReadLines($"/proc/{processId}/fdinfo/{Path.GetFileName(fd)}").Count(l => l.StartsWith("inotify wd:", StringComparison.Ordinal));
            }
        }

        return count;
    }
}
