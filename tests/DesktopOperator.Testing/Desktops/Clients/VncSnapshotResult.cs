using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Desktops.Clients;

/// <summary>A vncsnapshot run: the process outcome, the desktop name it printed, and the image file it wrote.</summary>
public sealed record VncSnapshotResult(ProcessResult Process, string? DesktopName, string ImagePath)
{
    /// <summary>Exit code 0, a desktop name read, and a non-empty image on disk.</summary>
    public bool Succeeded => Process.Succeeded && DesktopName is not null && File.Exists(ImagePath) && new FileInfo(ImagePath).Length > 0;
}
