namespace DesktopOperator.Commands;

/// <summary>
/// The folders of <c>standalone</c>, as full paths resolved against the process's current directory (where the user
/// stands), checked before anything starts.
/// </summary>
internal sealed record StandaloneFolders(string Manifests, string State, string? Error)
{
    public static StandaloneFolders Check(DirectoryInfo manifests, DirectoryInfo state)
    {
        var manifestPath = Path.GetFullPath(manifests.ToString());
        var statePath = Path.GetFullPath(state.ToString());
        return new StandaloneFolders(manifestPath, statePath, ManifestError(manifestPath) ?? StateError(statePath));
    }

    private static string? ManifestError(string path)
    {
        if (File.Exists(path))
        {
            return $"--manifests: '{path}' is a file, not a folder of manifests";
        }

        if (!Directory.Exists(path))
        {
            return $"--manifests: folder '{path}' does not exist";
        }

        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(path).GetEnumerator();
            entries.MoveNext();
            return null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return $"--manifests: folder '{path}' cannot be read: {e.Message}";
        }
    }

    private static string? StateError(string path)
    {
        if (File.Exists(path))
        {
            return $"--state: '{path}' is a file, not a folder";
        }

        try
        {
            Directory.CreateDirectory(path);
            return null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return $"--state: folder '{path}' cannot be created: {e.Message}";
        }
    }
}
