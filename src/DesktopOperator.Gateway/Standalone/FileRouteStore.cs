using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Sessions;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Standalone;

/// <summary>
/// Routes as one readable JSON file each in a state folder (standalone mode), so a restart loses no affinity.
/// <para>
/// Writes are atomic (a temporary file in the same folder, flushed, then renamed over the old one) and serialised
/// by one gate, so a reader never sees half a file and the last write wins. A corrupt file is reported and skipped,
/// never deleted. Files changed by someone else (an admin's edit) are picked up through a watcher. Reads and the
/// version check of a write go to an in-memory index (no scan of the folder per call); versions are a counter.
/// One gateway
/// process owns a state folder: two processes sharing one would not see each other's connection counts.
/// </para>
/// </summary>
internal sealed partial class FileRouteStore : IRouteStore, IDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RouteIndex _routes = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly FileSystemWatcher _watcher;
    private long _version;

    public FileRouteStore(string directory, TimeProvider time, ILogger<FileRouteStore> logger)
    {
        _directory = Path.GetFullPath(directory);
        _time = time;
        _logger = logger;
        Directory.CreateDirectory(_directory);
        LoadAll();
        _watcher = new FileSystemWatcher(_directory, "*" + RouteFileNames.Extension)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Created += (_, e) => Reload(e.FullPath);
        _watcher.Changed += (_, e) => Reload(e.FullPath);
        _watcher.Renamed += (_, e) => Reload(e.FullPath);
        _watcher.Deleted += (_, e) => Reload(e.FullPath);
        _watcher.EnableRaisingEvents = true;
    }

    public event EventHandler? Changed;

    public string FolderPath => _directory;

    public RouteRecord? Find(string pool, string key) => _routes.Find(pool, key);

    public IReadOnlyList<RouteRecord> List(string pool) => _routes.List(pool);

    public IReadOnlyCollection<string> PoolsWithRoutes() => _routes.PoolsWithRoutes();

    public async ValueTask<RouteCreation> CreateAsync(RouteRecord route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        RouteRecord stored;
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            if (_routes.TryGet(route.Pool, route.Key, out var existing))
            {
                return new RouteCreation(existing, Created: false);
            }

            stored = Versioned(route);
            await WriteFileAsync(stored, cancellationToken);
            _routes.Set(stored);
        }
        finally
        {
            _writeGate.Release();
        }

        Changed?.Invoke(this, EventArgs.Empty);
        return new RouteCreation(stored, Created: true);
    }

    /// <summary>
    /// The route is updated at once (compare-and-swap on the index); its file follows behind (see
    /// FileRouteStore.WriteBehind.cs).
    /// </summary>
    public ValueTask<RouteRecord> UpdateAsync(RouteRecord route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        cancellationToken.ThrowIfCancellationRequested();
        var id = (route.Pool, route.Key);
        var stored = Versioned(route);
        if (!_routes.TryGet(route.Pool, route.Key, out var current) || current.Version != route.Version || !_routes.TryReplace(current, stored))
        {
            throw new RouteConflictException(route.Pool, route.Key, route.Version);
        }

        WriteBehind(id);
        Changed?.Invoke(this, EventArgs.Empty);
        return ValueTask.FromResult(stored);
    }

    public async ValueTask DeleteAsync(RouteRecord route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            if (!_routes.TryGet(route.Pool, route.Key, out var current))
            {
                return;
            }

            // Removed from the index first, by compare-and-swap: an update racing this delete either lands before
            // (and the delete conflicts) or finds the route gone (and conflicts itself).
            if (current.Version != route.Version || !_routes.TryRemove(current))
            {
                throw new RouteConflictException(route.Pool, route.Key, route.Version);
            }

            File.Delete(PathFor(route.Pool, route.Key));
        }
        finally
        {
            _writeGate.Release();
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    public void Dispose()
    {
        // The gate is not disposed: a watcher callback already running may still take it.
        _watcher.Dispose();
        _stopping.Cancel();
        _writeGate.Wait();
        try
        {
            foreach (var (id, pending) in _pendingWrites)
            {
                WritePending(id, pending);
            }
        }
        finally
        {
            _writeGate.Release();
        }

        // _stopping is not disposed either: a write-behind task may still be registering on its token.
    }

    /// <summary>The route stamped with a new version (a counter of this process; files do not keep it).</summary>
    private RouteRecord Versioned(RouteRecord route) =>
        route with { Version = Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture) };

    private string PathFor(string pool, string key) => Path.Combine(_directory, RouteFileNames.For(pool, key));

    /// <summary>
    /// Runs on the thread pool: the fsync blocks, and callers may be on a socket's completion thread (the gateway
    /// schedules pipe continuations inline), where blocking would stall every other connection.
    /// </summary>
    private Task WriteFileAsync(RouteRecord route, CancellationToken cancellationToken) =>
        Task.Run(() => WriteFile(route), cancellationToken);

    private void WriteFile(RouteRecord route)
    {
        var target = PathFor(route.Pool, route.Key);
        var temporary = Path.Combine(_directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            FileStamp written;
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, RouteFile.From(route), JsonOptions);
                stream.Flush(flushToDisk: true);
                written = FileStamp.Of(stream);
            }

            // Remembered before the rename (which keeps size and time), so the watcher's event for it, which may
            // come before the next statement runs, is known as ours and never waits on the write gate held here.
            RememberOwnWrite(target, written);
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private void LoadAll()
    {
        var now = _time.GetUtcNow();
        foreach (var path in Directory.EnumerateFiles(_directory, "*" + RouteFileNames.Extension))
        {
            if (TryRead(path, out var route))
            {
                // Connections counted by a previous process are gone with it: the session is now disconnected and
                // its resume window starts at this start-up.
                if (RouteLifecycle.AdoptOnRestart(route.Phase, route.ActiveConnections))
                {
                    route = route with { ActiveConnections = 0, Phase = SessionRoutePhase.Disconnected, LastSeen = now };
                }

                _routes.Set(Versioned(route));
            }
        }

        LogLoaded(_logger, _routes.Count, _directory);
    }

    private void Reload(string path)
    {
        // Temporary files, and the files this process wrote itself (one stat, not a read and parse per write).
        if (Path.GetFileName(path).StartsWith('.') || IsOwnWrite(path))
        {
            return;
        }

        bool changed;
        _writeGate.Wait();
        try
        {
            changed = ReloadUnderGate(path);
        }
        finally
        {
            _writeGate.Release();
        }

        if (changed)
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }
    }

    private bool ReloadUnderGate(string path)
    {
        // Asked again under the gate: an event raised while this process was still writing the file (before it
        // remembered the write) would otherwise read back an older state of our own over a newer update.
        if (IsOwnWrite(path))
        {
            return false;
        }

        if (!File.Exists(path))
        {
            foreach (var known in _routes.All())
            {
                if (PathFor(known.Pool, known.Key) == path)
                {
                    return _routes.Remove(known.Pool, known.Key);
                }
            }

            return false;
        }

        if (!TryRead(path, out var route) || PathFor(route.Pool, route.Key) != path)
        {
            return false;
        }

        if (_routes.TryGet(route.Pool, route.Key, out var current) && current == route with { Version = current.Version })
        {
            return false;
        }

        // A new version: a writer that read the route before this edit conflicts and decides again on the edit.
        _routes.Set(Versioned(route));
        return true;
    }

    private bool TryRead(string path, out RouteRecord route)
    {
        route = null!;
        try
        {
            var file = JsonSerializer.Deserialize<RouteFile>(File.ReadAllBytes(path), JsonOptions);
            if (file is null || file.Pool.Length == 0 || file.Key.Length == 0)
            {
                LogCorrupt(_logger, path, "pool and key are required");
                return false;
            }

            route = file.ToRecord();
            return true;
        }
        catch (JsonException e)
        {
            LogCorrupt(_logger, path, e.Message);
            return false;
        }
        catch (IOException e)
        {
            LogUnreadable(_logger, path, e.Message);
            return false;
        }
    }
}
