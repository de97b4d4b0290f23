namespace DesktopOperator.Gateway.Standalone;

/// <summary>Settings of standalone mode (command-line options of <c>desktop-operator standalone</c>).</summary>
internal sealed record StandaloneOptions
{
    /// <summary>Folder of DesktopPool manifests (<c>*.yaml</c>, <c>*.yml</c>).</summary>
    public required string ManifestFolder { get; init; }

    /// <summary>Folder of route files; created when missing.</summary>
    public required string StateFolder { get; init; }

    /// <summary>Rescan of the manifest folder even without a file-system event.</summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(10);
}
