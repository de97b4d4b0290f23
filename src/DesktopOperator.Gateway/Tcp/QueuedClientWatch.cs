using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// Watches a queued client's side of the connection so that a client that gives up leaves the queue at once
/// (HAProxy's <c>abortonclose</c>) instead of holding its place until the queue timeout and being given a slot
/// after it has gone. It waits for the client's first bytes without consuming them (they stay for the pump):
/// a reset or abort always means gone; a FIN means gone only where <c>finMeansGone</c> (RDP, VNC and SSH clients
/// never half-close before the server has answered; a plain TCP client may send its request and half-close, so
/// there the FIN and the bytes are kept for the host). Kestrel's <c>ConnectionClosed</c> cannot tell the two apart.
/// <para>Single use: one watch per queued connection, disposed before the pump reads the input (the pipe allows
/// one reader at a time; disposing cancels the pending read by token, which, unlike <c>CancelPendingRead</c>,
/// leaves no canceled read behind for the pump).</para>
/// </summary>
internal sealed class QueuedClientWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _gone;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private volatile bool _clientGone;

    private QueuedClientWatch(PipeReader input, bool finMeansGone, CancellationToken outer)
    {
        _gone = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _watching = WatchAsync(input, finMeansGone);
    }

    /// <summary>Canceled when the client has gone, or by the outer token.</summary>
    public CancellationToken Token => _gone.Token;

    /// <summary>The client has gone (not the outer token).</summary>
    public bool ClientGone => _clientGone;

    public static QueuedClientWatch Start(PipeReader input, bool finMeansGone, CancellationToken outer) => new(input, finMeansGone, outer);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
        _stop.Dispose();
        _gone.Dispose();
    }

    private async Task WatchAsync(PipeReader input, bool finMeansGone)
    {
        var token = _stop.Token;
        ReadResult result;
        try
        {
            result = await input.ReadAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is ConnectionAbortedException or IOException)
        {
            // A reset: the pump's next read fails the same way, should the watch end before the client is closed.
            await LeaveAsync().ConfigureAwait(false);
            return;
        }

        // Nothing consumed or examined: the pump's first read returns every byte at once. Bytes mean a client that
        // is there (a later reset is the pump's to see); a FIN means gone where the protocol never half-closes first.
        input.AdvanceTo(result.Buffer.Start);
        if (result.IsCompleted && result.Buffer.IsEmpty && finMeansGone)
        {
            await LeaveAsync().ConfigureAwait(false);
        }
    }

    private async Task LeaveAsync()
    {
        _clientGone = true;
        await _gone.CancelAsync().ConfigureAwait(false);
    }
}
