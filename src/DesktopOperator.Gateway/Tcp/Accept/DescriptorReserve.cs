using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace DesktopOperator.Gateway.Tcp.Accept;

/// <summary>
/// A few file descriptors held open on <c>/dev/null</c> from start-up, given back to the process when an accept, a
/// host socket (<see cref="Guard"/>) or a health check (<c>ReserveReleasingProbe</c>) meets EMFILE, and taken again
/// once descriptors are free.
/// <para>Why: a process at its open-file limit cannot do the things it needs to get out of it. The .NET runtime
/// opens a pipe to start a thread and aborts ("Out of memory") when it cannot; a log line, a health probe or the
/// close of a finished session may need a descriptor too. Releasing the reserve at the first EMFILE gives those
/// <see cref="DefaultSize"/> descriptors back. While it is out, the proxy ports do not accept (see
/// <see cref="AcceptEpisode"/>): new clients wait in the listen backlog instead of eating the headroom, and accepting
/// resumes only when the reserve could be taken again with as many descriptors to spare, that is when connections
/// have closed. Kestrel's own endpoints (health, metrics) do not wait for it: a liveness probe that fails at EMFILE would
/// get the gateway restarted, cutting every session. The same trick
/// as libuv's reserve descriptor, sized for a managed runtime.</para>
/// Thread-safe; shared by every listener of the process. Where there is no <c>/dev/null</c> it holds nothing and
/// never blocks an accept.
/// </summary>
internal sealed partial class DescriptorReserve : IDisposable
{
    /// <summary>Enough for a few threads (two descriptors each), a log file and a handful of closes and probes.</summary>
    public const int DefaultSize = 32;

    private const string NullDevice = "/dev/null";

    private readonly Lock _lock = new();
    private readonly List<SafeFileHandle> _handles;
    private readonly int _size;
    private readonly ILogger _logger;
    private readonly Func<SafeFileHandle> _open;
    private bool _released;
    private bool _disposed;

    public DescriptorReserve(int size, ILogger<DescriptorReserve> logger)
        : this(File.Exists(NullDevice) ? size : 0, logger, static () => File.OpenHandle(NullDevice, FileMode.Open, FileAccess.Read))
    {
    }

    /// <param name="open">Opens one descriptor; throws <see cref="IOException"/> when the process has none left (a test
    /// plays the limit with it).</param>
    internal DescriptorReserve(int size, ILogger<DescriptorReserve> logger, Func<SafeFileHandle> open)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        _logger = logger;
        _size = size;
        _open = open;
        _handles = new List<SafeFileHandle>(_size);
        _released = !TryFill(headroom: 0);
    }

    /// <summary>Descriptors held now (what <c>/proc/PID/fd</c> shows on <c>/dev/null</c>).</summary>
    public int Held
    {
        get
        {
            lock (_lock)
            {
                return _handles.Count;
            }
        }
    }

    /// <summary>True while the reserve is given back and not yet whole again.</summary>
    public bool IsReleased => Volatile.Read(ref _released);

    /// <summary>Closes every reserved descriptor (once per episode; later calls do nothing until it is restored).</summary>
    public void Release()
    {
        lock (_lock)
        {
            if (_released || _disposed)
            {
                return;
            }

            _released = true;
            var count = _handles.Count;
            CloseAll();
            LogReleased(_logger, count);
        }
    }

    /// <summary>
    /// True when the reserve is whole: at once when it was never released, else when it could be re-opened with as
    /// many descriptors again to spare (else nothing is kept and it stays released).
    /// </summary>
    public bool TryRestore()
    {
        if (!Volatile.Read(ref _released))
        {
            return true;
        }

        lock (_lock)
        {
            if (!_released || _disposed)
            {
                return true;
            }

            // Hysteresis: back only when as many again are free, else the first accept after it would hit EMFILE and
            // release it again, an episode every backoff step.
            if (!TryFill(headroom: _size))
            {
                return false;
            }

            _released = false;
            LogRestored(_logger, _handles.Count);
            return true;
        }
    }

    /// <summary>
    /// Host sockets made by <paramref name="create"/>, refused (as EMFILE) while the reserve is released and cannot be
    /// taken back: a client accepted just before the descriptors ran out is closed instead of taking the descriptors
    /// the release gave back, so they stay for threads, health and closes (an end-to-end test saw /healthz go
    /// unanswered without this). Once descriptors are free again the guard takes the reserve back itself, so the client
    /// an accept loop already waiting in accept lets through after a release is not refused for nothing.
    /// A host socket that meets EMFILE itself releases the reserve, as a failed accept does: the accepts need not fail
    /// first. Each failed host socket closes its client, which frees the descriptor the next accept takes, so a gateway
    /// whose connections ran out at the host side sat at its limit for good with the reserve still held, until the
    /// runtime could not start a thread and died ("Out of memory.", seen in an end-to-end test).
    /// </summary>
    public Func<EndPoint, Socket> Guard(Func<EndPoint, Socket> create) => endPoint =>
    {
        if (!TryRestore())
        {
            throw new SocketException((int)SocketError.TooManyOpenSockets);
        }

        try
        {
            return create(endPoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TooManyOpenSockets)
        {
            Release();
            throw;
        }
    };

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            CloseAll();
        }
    }

    /// <summary>
    /// Opens what the reserve lacks, all or nothing: true when it is whole and <paramref name="headroom"/> more
    /// descriptors could be opened besides (those are closed again at once). On failure nothing stays open, so a
    /// failed try never eats into the descriptors the release gave back.
    /// </summary>
    private bool TryFill(int headroom)
    {
        var missing = _size - _handles.Count;
        var opened = new List<SafeFileHandle>(missing + headroom);
        try
        {
            while (opened.Count < missing + headroom)
            {
                opened.Add(_open());
            }
        }
        catch (IOException)
        {
            foreach (var handle in opened)
            {
                handle.Dispose();
            }

            return false; // still short of descriptors
        }

        for (var i = 0; i < opened.Count; i++)
        {
            if (i < missing)
            {
                _handles.Add(opened[i]);
            }
            else
            {
                opened[i].Dispose();
            }
        }

        return true;
    }

    private void CloseAll()
    {
        foreach (var handle in _handles)
        {
            handle.Dispose();
        }

        _handles.Clear();
    }

    [LoggerMessage(EventId = 3633, Level = LogLevel.Warning, Message = "Out of file descriptors: released the reserve of {Count} so the gateway can still start threads, log and close connections; new connections wait in the listen backlog until it can be taken again")]
    private static partial void LogReleased(ILogger logger, int count);

    [LoggerMessage(EventId = 3634, Level = LogLevel.Information, Message = "File descriptors are free again: the reserve of {Count} is back and the gateway accepts new connections")]
    private static partial void LogRestored(ILogger logger, int count);
}
