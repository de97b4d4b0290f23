using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace DesktopOperator.Gateway.Tcp;

internal static class TcpProxyListenOptionsExtensions
{
    /// <summary>
    /// Serves a Kestrel endpoint with <paramref name="handler"/> (the <c>UseConnectionHandler&lt;T&gt;()</c> path for
    /// a handler built per listener rather than resolved from DI). For endpoints added and removed at runtime use
    /// <see cref="TcpListenerManager"/>.
    /// </summary>
    public static ListenOptions UseTcpProxy(this ListenOptions listenOptions, TcpProxyConnectionHandler handler)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Run(handler.OnConnectedAsync);
        return listenOptions;
    }
}
