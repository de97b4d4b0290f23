using System.Net;

namespace DesktopOperator.Testing.Desktops.Clients;

/// <summary>
/// Our own minimal RFB 3.8 client. <see cref="ReadServerInitAsync"/> is the one-shot "which desktop answered?"
/// check; <see cref="ConnectAsync"/> keeps the session open. Both bind to <c>source</c> first when given, so a test can
/// come from a chosen loopback address (source-address affinity).
/// </summary>
public static class RfbClient
{
    /// <summary>
    /// Connects, runs the handshake (VNC Authentication with <paramref name="password"/>, security None without one),
    /// returns ServerInit and closes.
    /// </summary>
    public static async Task<RfbServerInit> ReadServerInitAsync(
        IPEndPoint server, TimeSpan timeout, CancellationToken cancellationToken, IPAddress? source = null, string? password = null)
    {
        await using var connection = await ConnectAsync(server, timeout, cancellationToken, source, password);
        return connection.ServerInit;
    }

    /// <summary>Connects and runs the handshake within <paramref name="timeout"/>; the session stays open.</summary>
    public static async Task<RfbConnection> ConnectAsync(
        IPEndPoint server, TimeSpan timeout, CancellationToken cancellationToken, IPAddress? source = null, string? password = null)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            return await RfbConnection.OpenAsync(server, source, password, limit.Token);
        }
        catch (OperationCanceledException e) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"RFB handshake with {server} did not finish within {timeout}", e);
        }
    }
}
