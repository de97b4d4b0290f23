namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// Faults a <see cref="TestApiServer"/> applies to incoming requests, for reliability tests. Thread-safe; changes take
/// effect on the next request. Order per request: outage, added latency, then a counted or fractional failure or
/// scripted answer (one rule at a time: setting one replaces the other).
/// </summary>
public sealed class FaultInjection
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _dropWatches = new();
    private CancellationTokenSource _expireWatches = new();
    private int _failCount;
    private double _failFraction;
    private int _failStatus;
    private TimeSpan? _retryAfter;
    private Func<RecordedRequest, bool>? _match;
    private ScriptedResponse? _response;
    private Random _random = new(1);

    /// <summary>Delay added before every request is handled.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Active outage, if any.</summary>
    public OutageMode? Outage { get; private set; }

    /// <summary>Requests answered with a failure so far (all rules).</summary>
    public int InjectedFailures { get; private set; }

    internal CancellationToken WatchDropToken
    {
        get
        {
            lock (_gate)
            {
                return _dropWatches.Token;
            }
        }
    }

    internal CancellationToken WatchExpireToken
    {
        get
        {
            lock (_gate)
            {
                return _expireWatches.Token;
            }
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> matching requests with <paramref name="statusCode"/> (429 adds
    /// <c>Retry-After</c>). <paramref name="match"/> sees (method, path) and defaults to every request.
    /// </summary>
    public void FailNext(int count, int statusCode = 429, TimeSpan? retryAfter = null, Func<string, string, bool>? match = null) =>
        FailNext(count, OnMethodAndPath(match), statusCode, retryAfter);

    /// <summary>As above, with a match that sees the whole request (query, credentials), e.g. <c>r =&gt; r.IsWatch</c>.</summary>
    public void FailNext(int count, Func<RecordedRequest, bool>? match, int statusCode = 500, TimeSpan? retryAfter = null)
    {
        lock (_gate)
        {
            (_failCount, _failFraction, _failStatus, _retryAfter, _match, _response) = (count, 0, statusCode, retryAfter, match, null);
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> matching requests with <paramref name="response"/> as written, for
    /// clients' handling of exact bytes (recorded Status bodies, plain-text 404s, empty bodies, headers).
    /// </summary>
    public void RespondNext(int count, ScriptedResponse response, Func<RecordedRequest, bool>? match = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        lock (_gate)
        {
            (_failCount, _failFraction, _failStatus, _retryAfter, _match, _response) = (count, 0, response.StatusCode, null, match, response);
        }
    }

    /// <summary>Answers each matching request with <paramref name="statusCode"/> with probability <paramref name="fraction"/>.</summary>
    public void FailFraction(double fraction, int statusCode = 500, TimeSpan? retryAfter = null, Func<string, string, bool>? match = null, int seed = 1) =>
        FailFraction(fraction, OnMethodAndPath(match), statusCode, retryAfter, seed);

    /// <summary>As above, with a match that sees the whole request (query, credentials), e.g. <c>r =&gt; r.IsWatch</c>.</summary>
    public void FailFraction(double fraction, Func<RecordedRequest, bool>? match, int statusCode = 500, TimeSpan? retryAfter = null, int seed = 1)
    {
        lock (_gate)
        {
            (_failCount, _failFraction, _failStatus, _retryAfter, _match, _random, _response) = (0, fraction, statusCode, retryAfter, match, new Random(seed), null);
        }
    }

    /// <summary>Resets every open watch connection now (clients see a broken stream, not a clean end).</summary>
    public void DropWatches()
    {
        CancellationTokenSource old;
        lock (_gate)
        {
            old = _dropWatches;
            _dropWatches = new CancellationTokenSource();
        }

        old.Cancel();
        old.Dispose();
    }

    /// <summary>
    /// Ends every open watch with an ERROR event carrying a 410 Expired Status, as the real server does when the
    /// resourceVersion a watch stands on is compacted away under it; the stream then ends cleanly.
    /// </summary>
    public void ExpireWatches()
    {
        CancellationTokenSource old;
        lock (_gate)
        {
            old = _expireWatches;
            _expireWatches = new CancellationTokenSource();
        }

        old.Cancel();
        old.Dispose();
    }

    /// <summary>Starts an outage: every request is refused (connection aborted) or answered 503 until <see cref="EndOutage"/>.</summary>
    public void StartOutage(OutageMode mode = OutageMode.ServiceUnavailable)
    {
        Outage = mode;
        if (mode == OutageMode.RefuseConnections)
        {
            DropWatches();
        }
    }

    public void EndOutage() => Outage = null;

    /// <summary>Removes every fault (latency, failures, outage).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            (_failCount, _failFraction, _match, _response, Latency, Outage) = (0, 0, null, null, TimeSpan.Zero, null);
        }
    }

    internal (int Status, TimeSpan? RetryAfter, ScriptedResponse? Response)? NextFailure(RecordedRequest request)
    {
        lock (_gate)
        {
            if (_match is not null && !_match(request))
            {
                return null;
            }

            var fail = _failCount > 0 ? _failCount-- > 0 : _failFraction > 0 && _random.NextDouble() < _failFraction;
            if (!fail)
            {
                return null;
            }

            InjectedFailures++;
            return (_failStatus, _response is null ? _retryAfter ?? (_failStatus == 429 ? TimeSpan.FromSeconds(1) : null) : null, _response);
        }
    }

    private static Func<RecordedRequest, bool>? OnMethodAndPath(Func<string, string, bool>? match) =>
        match is null ? null : r => match(r.Method, r.Path);
}
