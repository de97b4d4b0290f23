using System.Net;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.EndToEndTests.Standalone;

/// <summary>
/// The gateway watches its manifests, its state and its own folder, not the directory it was started in: .NET's
/// reload of <c>appsettings.json</c> on change, rooted in the working directory, put one recursive inotify watch on
/// it, a watch on every directory below (the whole repository under the README's command).
/// </summary>
public sealed class WorkingDirectoryWatchTests
{
    private const int UnrelatedDirectories = 100;

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

        // Its manifests, its state and the application's own folder (a few dozen at most), none of the 100.
        var watches = InotifyWatches(gateway.ProcessId);
        Assert.InRange(watches, 1, UnrelatedDirectories / 2);
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
