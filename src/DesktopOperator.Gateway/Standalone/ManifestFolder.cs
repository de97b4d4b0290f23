using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Standalone;

/// <summary>
/// The resources declared by the <c>*.yaml</c>/<c>*.yml</c> files of one folder, reloaded when files change.
/// <para>
/// A file that fails to load is reported (<c>file: field: why</c>, once per distinct content) and skipped; if it
/// loaded before, its last good version stays in force, so a typo at 3 a.m. does not take a pool away. A deleted
/// file's resources go away. Changes are seen through a watcher (debounced) and a periodic rescan, because
/// watchers miss events on some filesystems (ConfigMap symlink swaps, network mounts). <see cref="Rescan"/> and the
/// <see cref="Changed"/> handlers run one at a time.
/// </para>
/// </summary>
internal sealed partial class ManifestFolder<T> : IDisposable
{
    private readonly string _folder;
    private readonly Func<string, ManifestFileResult<T>> _load;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LoadedFile> _files = new(StringComparer.Ordinal);
    private readonly FileSystemWatcher _watcher;
    private readonly ITimer _debounce;
    private readonly ITimer _poll;
    private IReadOnlyList<T> _current = [];

    public ManifestFolder(string folder, Func<string, ManifestFileResult<T>> load, TimeProvider time, ILogger logger, TimeSpan pollInterval)
    {
        _folder = Path.GetFullPath(folder);
        if (!Directory.Exists(_folder))
        {
            throw new DirectoryNotFoundException($"manifest folder {_folder} does not exist");
        }

        _load = load;
        _logger = logger;
        _debounce = time.CreateTimer(_ => RescanInBackground(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _poll = time.CreateTimer(_ => RescanInBackground(), null, pollInterval, pollInterval);
        _watcher = new FileSystemWatcher(_folder)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            IncludeSubdirectories = false,
        };
        _watcher.Created += OnFileEvent;
        _watcher.Changed += OnFileEvent;
        _watcher.Deleted += OnFileEvent;
        _watcher.Renamed += OnFileEvent;
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Raised after a rescan changed <see cref="Current"/>.</summary>
    public event EventHandler? Changed;

    /// <summary>Resources of every usable file, in file-name order.</summary>
    public IReadOnlyList<T> Current => Volatile.Read(ref _current);

    /// <summary>Errors of the files that are currently skipped (or held at their last good version), by file name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors
    {
        get
        {
            lock (_gate)
            {
                return _files.Where(f => f.Value.Errors.Count > 0).ToDictionary(f => f.Key, f => f.Value.Errors);
            }
        }
    }

    /// <summary>Reads every changed file now; returns true when <see cref="Current"/> changed.</summary>
    public bool Rescan()
    {
        bool changed;
        lock (_gate)
        {
            changed = RescanUnderGate();
            if (changed)
            {
                Changed?.Invoke(this, EventArgs.Empty);
            }
        }

        return changed;
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _debounce.Dispose();
        _poll.Dispose();
    }

    /// <summary>
    /// A timer's rescan: a folder that cannot be listed right now (the process is out of descriptors, the mount is
    /// gone) keeps every resource as it is and is tried again at the next poll, instead of ending the process.
    /// </summary>
    private void RescanInBackground()
    {
        try
        {
            Rescan();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFolderUnreadable(_logger, _folder, e.Message);
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) =>
        _debounce.Change(TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);

    private bool RescanUnderGate()
    {
        var present = Directory.EnumerateFiles(_folder)
            .Where(p => p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => !n.StartsWith('.'))
            .ToHashSet(StringComparer.Ordinal);

        var changed = false;
        foreach (var gone in _files.Keys.Where(n => !present.Contains(n)).ToList())
        {
            changed |= _files[gone].Resources.Count > 0;
            _files.Remove(gone);
            LogFileRemoved(_logger, gone);
        }

        foreach (var name in present.Order(StringComparer.Ordinal))
        {
            changed |= LoadIfChanged(name);
        }

        if (changed)
        {
            Volatile.Write(ref _current, _files.OrderBy(f => f.Key, StringComparer.Ordinal).SelectMany(f => f.Value.Resources).ToList());
        }

        return changed;
    }

    private bool LoadIfChanged(string name)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(Path.Combine(_folder, name));
        }
        catch (IOException e)
        {
            LogUnreadable(_logger, name, e.Message);
            return false;
        }

        var hash = Convert.ToHexString(SHA256.HashData(content));
        _files.TryGetValue(name, out var previous);
        if (previous?.ContentHash == hash)
        {
            return false;
        }

        var result = _load(Path.Combine(_folder, name));
        if (result.IsValid)
        {
            _files[name] = new LoadedFile(hash, result.Resources, []);
            LogFileLoaded(_logger, name, result.Resources.Count);
            return true;
        }

        foreach (var error in result.Errors)
        {
            LogFileError(_logger, name, error);
        }

        if (previous is { Resources.Count: > 0 })
        {
            LogKeepingLastGood(_logger, name);
        }

        _files[name] = new LoadedFile(hash, previous?.Resources ?? [], result.Errors);
        return false;
    }

    private sealed record LoadedFile(string ContentHash, IReadOnlyList<T> Resources, IReadOnlyList<string> Errors);
}
