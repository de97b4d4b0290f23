using System.Collections.Concurrent;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Gateway.Standalone;

/// <summary>
/// Updates of a route reach its file behind the caller: the map is updated at once (every reader sees the new
/// route), and the file gets the route's latest state, at most once per <see cref="WriteInterval"/> per route.
/// A connection's open and close change its route (Active, Disconnected, LastSeen); writing and fsyncing a file for
/// each was the largest per-connection cost of the gateway (proxy-figures.md, Run 4). What a crash can lose is the
/// last second of a route's phase, which a restart resets anyway (active routes come back Disconnected).
/// Creations and deletions stay synchronous: a new route is durable before its first connection goes on.
/// </summary>
internal sealed partial class FileRouteStore
{
    /// <summary>Least time between two writes of one route's file.</summary>
    public static readonly TimeSpan WriteInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string Pool, string Key), PendingWrite> _pendingWrites = new();
    private readonly ConcurrentDictionary<string, FileStamp> _ownWrites = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Writes every route whose file is behind its latest update, now. For shutdown and tests.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (id, pending) in _pendingWrites)
            {
                await WritePendingAsync(id, pending).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void WriteBehind((string Pool, string Key) id)
    {
        var pending = _pendingWrites.GetOrAdd(id, static _ => new PendingWrite());
        lock (pending)
        {
            if (pending.Queued)
            {
                return; // the queued write reads the route when it runs, so it carries this update too
            }

            pending.Queued = true;
        }

        _ = WriteLaterAsync(id, pending, _stopping.Token);
    }

    private async Task WriteLaterAsync((string Pool, string Key) id, PendingWrite pending, CancellationToken cancellationToken)
    {
        try
        {
            var wait = pending.LastWrite is { } last ? WriteInterval - _time.GetElapsedTime(last) : TimeSpan.Zero;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // Dispose writes what is still pending
        }

        try
        {
            await WritePendingAsync(id, pending).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Under the write gate: writes the route's current state if a write is still queued for it.</summary>
    private async Task WritePendingAsync((string Pool, string Key) id, PendingWrite pending)
    {
        if (TakePending(id, pending) is { } route)
        {
            try
            {
                await WriteFileAsync(route, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogWriteFailed(_logger, PathFor(id.Pool, id.Key), e.Message);
            }
        }
    }

    /// <summary>Under the write gate, on the calling thread (Dispose): the same as <see cref="WritePendingAsync"/>.</summary>
    private void WritePending((string Pool, string Key) id, PendingWrite pending)
    {
        if (TakePending(id, pending) is { } route)
        {
            try
            {
                WriteFile(route);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogWriteFailed(_logger, PathFor(id.Pool, id.Key), e.Message);
            }
        }
    }

    /// <summary>The route to write for a queued write (and marks it taken), or null when there is nothing to write.</summary>
    private RouteRecord? TakePending((string Pool, string Key) id, PendingWrite pending)
    {
        lock (pending)
        {
            if (!pending.Queued)
            {
                return null; // written by a flush meanwhile
            }

            // Cleared before the route is read: an update after this point queues a write of its own.
            pending.Queued = false;
        }

        pending.LastWrite = _time.GetTimestamp();
        return _routes.Find(id.Pool, id.Key); // null: deleted meanwhile, its file with it
    }

    /// <summary>Remembers the file this process just wrote, so its own watcher event does not read it back.</summary>
    private void RememberOwnWrite(string path, FileStamp written) => _ownWrites[path] = written;

    /// <summary>True when <paramref name="path"/> is still exactly the file this process last wrote there.</summary>
    private bool IsOwnWrite(string path) =>
        _ownWrites.TryGetValue(path, out var stamp) && stamp != default && FileStamp.Of(path) == stamp;

    private sealed class PendingWrite
    {
        public bool Queued { get; set; }

        /// <summary>When this route's file was last written by the write-behind (a <see cref="TimeProvider"/> timestamp).</summary>
        public long? LastWrite { get; set; }
    }

    /// <summary>What a stat tells of a file: enough to see that someone else replaced it (mtime in ns, inode via length and time).</summary>
    private readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc) : default;
        }

        /// <summary>
        /// The stamp of a file being written, from its open handle (no path lookup, no <see cref="FileInfo"/>): the
        /// bytes written so far and its modification time, which the rename into place keeps.
        /// </summary>
        public static FileStamp Of(FileStream written) =>
            new(written.Position, File.GetLastWriteTimeUtc(written.SafeFileHandle));
    }
}
