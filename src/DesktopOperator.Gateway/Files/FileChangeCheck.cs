namespace DesktopOperator.Gateway.Files;

/// <summary>
/// Tells, at most once per <see cref="Interval"/>, whether any of a few files changed since the last look: their
/// length or modification time differs, or one appeared or vanished. Paths are followed through symbolic links, so
/// a Kubernetes Secret or ConfigMap mounted as files (updated in place by swapping its <c>..data</c> link to a new
/// folder) counts as changed. Cheap enough to call on every request or TLS handshake; thread-safe.
/// </summary>
internal sealed class FileChangeCheck
{
    private readonly string[] _paths;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private (long Length, DateTime Written)[] _seen;
    private long _lastLook;

    public FileChangeCheck(IReadOnlyList<string> paths, TimeProvider time, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(time);
        _paths = [.. paths];
        _time = time;
        Interval = interval;
        _seen = Stamp();
        _lastLook = time.GetTimestamp();
    }

    public TimeSpan Interval { get; }

    /// <summary>True once for each change seen; false when nothing changed or the last look was less than <see cref="Interval"/> ago.</summary>
    public bool Changed()
    {
        if (_time.GetElapsedTime(Volatile.Read(ref _lastLook)) < Interval)
        {
            return false;
        }

        lock (_lock)
        {
            if (_time.GetElapsedTime(_lastLook) < Interval)
            {
                return false;
            }

            var now = Stamp();
            Volatile.Write(ref _lastLook, _time.GetTimestamp());
            if (now.AsSpan().SequenceEqual(_seen))
            {
                return false;
            }

            _seen = now;
            return true;
        }
    }

    private (long Length, DateTime Written)[] Stamp()
    {
        var stamps = new (long, DateTime)[_paths.Length];
        for (var i = 0; i < _paths.Length; i++)
        {
            // FileInfo of a symbolic link gives the LINK's length and times (lstat): look at its final target
            // instead, whose path (e.g. ..data/tls.crt) resolves through the swapped folder link.
            FileSystemInfo file = new FileInfo(_paths[i]);
            if (file.LinkTarget is not null)
            {
                file = file.ResolveLinkTarget(returnFinalTarget: true) ?? file;
            }

            stamps[i] = file is FileInfo { Exists: true } found ? (found.Length, found.LastWriteTimeUtc) : (-1, DateTime.MinValue);
        }

        return stamps;
    }
}
