using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp.Accept;

/// <summary>
/// What one listener does about failed accepts, the single home of that rule for every accept loop (ours in
/// <see cref="GatewaySocketListener"/>, and <see cref="TcpListenerManager"/>'s for transports that throw):
/// <list type="bullet">
/// <item>out of descriptors or kernel memory (EMFILE, ENFILE, ENOBUFS, ENOMEM) and any unexpected error: count
/// <c>gateway_accept_errors_total{reason}</c>, log once per episode, wait 10 ms doubling to 100 ms
/// (<see cref="AcceptErrors.Backoff"/>) and try again, never throw and never spin. EMFILE/ENFILE also release the
/// <see cref="DescriptorReserve"/> (and a proxy port's next accept waits until it is whole again, as it does when a host
/// socket or a health check released it: <see cref="WaitForReserveAsync"/>);</item>
/// <item>a client that reset while in the backlog (ECONNABORTED, ECONNRESET) or an interrupted call: count it as
/// <c>other</c> and retry at once, as Kestrel does;</item>
/// <item>the first accept that succeeds after an episode logs one summary line.</item>
/// </list>
/// Not thread-safe: one accept loop drives it, one accept at a time (as Kestrel and the manager call AcceptAsync).
/// </summary>
/// <param name="waitForReserve">
/// True for the proxy ports: after a failed accept, no new accept until the <see cref="DescriptorReserve"/> is whole
/// again. False for Kestrel's endpoints, so /healthz and /metrics still answer at EMFILE (with the released descriptors).
/// </param>
internal sealed partial class AcceptEpisode(
    string name, TagList tags, Counter<long> errors, DescriptorReserve reserve, bool waitForReserve, TimeProvider timeProvider, ILogger logger)
{
    private int _failures;
    private long _startedAt;
    private AcceptErrorReason _reason;

    /// <summary>Failed accepts in the current episode (0 when accepting normally).</summary>
    public int Failures => _failures;

    /// <summary>Counts <paramref name="exception"/> and waits as long as the next accept should wait.</summary>
    public async Task OnFailedAsync(SocketException exception, CancellationToken cancellationToken)
    {
        var reason = AcceptErrors.Classify(exception);
        Count(reason);
        if (IsClientGone(exception.SocketErrorCode))
        {
            return;
        }

        _failures++;
        _reason = reason;
        if (_failures == 1)
        {
            _startedAt = timeProvider.GetTimestamp();
            LogAcceptFailing(logger, name, reason, exception.SocketErrorCode);
        }

        if (reason == AcceptErrorReason.TooManyOpenFiles)
        {
            reserve.Release();
        }

        // While the reserve is out, a proxy port does not accept: the descriptors that come back go to the reserve first.
        await Task.Delay(AcceptErrors.Backoff(_failures), timeProvider, cancellationToken).ConfigureAwait(false);
        if (!reserve.TryRestore() && waitForReserve)
        {
            await WaitForRestoreAsync(_failures + 1, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Before an accept: while the reserve is out (an accept, a host socket or a health check met EMFILE), a proxy
    /// port waits until it is whole again, looking every 10 ms doubling to 100 ms; new clients wait in the listen
    /// backlog meanwhile. Completes at once otherwise, and always for Kestrel's endpoints.
    /// </summary>
    public ValueTask WaitForReserveAsync(CancellationToken cancellationToken) =>
        waitForReserve && !reserve.TryRestore() ? WaitForRestoreAsync(1, cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Ends an episode (if one is running) with its summary line.</summary>
    public void OnAccepted()
    {
        if (_failures == 0)
        {
            return;
        }

        var duration = timeProvider.GetElapsedTime(_startedAt);
        LogAcceptRecovered(logger, name, _failures, _reason, duration);
        _failures = 0;
    }

    /// <summary>Waits <see cref="AcceptErrors.Backoff"/> of <paramref name="attempt"/>, then of each next one, until the reserve is whole.</summary>
    private async ValueTask WaitForRestoreAsync(int attempt, CancellationToken cancellationToken)
    {
        do
        {
            await Task.Delay(AcceptErrors.Backoff(attempt), timeProvider, cancellationToken).ConfigureAwait(false);
            attempt = Math.Min(attempt + 1, 16);
        }
        while (!reserve.TryRestore());
    }

    /// <summary>Errors that concern one client, not the listener: retried at once.</summary>
    internal static bool IsClientGone(SocketError error) =>
        error is SocketError.ConnectionAborted or SocketError.ConnectionReset or SocketError.Interrupted;

    private void Count(AcceptErrorReason reason)
    {
        var withReason = tags;
        withReason.Add("reason", AcceptErrors.Label(reason));
        errors.Add(1, withReason);
    }

    [LoggerMessage(EventId = 3631, Level = LogLevel.Warning, Message = "Listener {Name} cannot accept ({Reason}, {Error}); retrying every 10-100 ms until it can, counted in gateway_accept_errors_total")]
    private static partial void LogAcceptFailing(ILogger logger, string name, AcceptErrorReason reason, SocketError error);

    [LoggerMessage(EventId = 3632, Level = LogLevel.Information, Message = "Listener {Name} accepts again after {Failures} failed accepts ({Reason}) over {Duration}")]
    private static partial void LogAcceptRecovered(ILogger logger, string name, int failures, AcceptErrorReason reason, TimeSpan duration);
}
