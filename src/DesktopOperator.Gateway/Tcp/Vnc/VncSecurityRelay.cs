using System.Buffers.Binary;
using System.Net.Sockets;
using DesktopOperator.Gateway.Health.Probes;

namespace DesktopOperator.Gateway.Tcp.Vnc;

/// <summary>
/// Relays the RFB handshake of one connection up to the server's SecurityResult (RFC 6143 sections 7.1.1-7.1.3,
/// appendix A for 3.3), message by message, and reports how security ended. RFB is lockstep until then, so each side
/// is read for exactly the next message and nothing else; whatever follows stays in the sockets for the pump, which
/// takes over with no inspection at all. Security types other than None and VNC Authentication (VeNCrypt,
/// TLS, ...) encrypt their result: the relay hands over right after the client's choice.
/// <para>Any segmentation works: each message is read until all its bytes are there, however TCP cut them, and only
/// those bytes are taken. Bytes are sent on the same sockets the pump then uses, so the pump's first bytes (a failure
/// reason, ServerInit) can never overtake the relay's last ones.</para>
/// Not thread-safe: one instance per connection.
/// </summary>
internal sealed partial class VncSecurityRelay
{
    private const int VersionLength = 12;
    private const byte SecurityNone = 1;
    private const byte SecurityVncAuth = 2;

    private readonly Socket _client;
    private readonly Socket _upstream;
    private readonly TimeoutScope _activity;
    private readonly ByteTally _toHost;
    private readonly ByteTally _toClient;
    private bool _ended;
    private TcpProxyError _error;

    private VncSecurityRelay(Socket client, Socket upstream, TimeoutScope activity, ByteTally toHost, ByteTally toClient)
    {
        _client = client;
        _upstream = upstream;
        _activity = activity;
        _toHost = toHost;
        _toClient = toClient;
    }

    public static async Task<VncRelayResult> RunAsync(Socket client, Socket upstream, TimeoutScope activity, ByteTally toHost, ByteTally toClient)
    {
        var relay = new VncSecurityRelay(client, upstream, activity, toHost, toClient);
        var outcome = await relay.RelayAsync().ConfigureAwait(false);
        return new VncRelayResult(outcome, relay._ended, relay._error);
    }

    private async Task<VncSecurityOutcome> RelayAsync()
    {
        var banner = await FromHostAsync(VersionLength).ConfigureAwait(false);
        if (banner is null)
        {
            return VncSecurityOutcome.HostEnded;
        }

        if (!VncBannerProbe.IsRfb3Banner(banner))
        {
            return VncSecurityOutcome.NotInspected;
        }

        var version = await FromClientAsync(VersionLength).ConfigureAwait(false);
        if (version is null)
        {
            return VncSecurityOutcome.Abandoned;
        }

        if (!VncBannerProbe.IsRfb3Banner(version))
        {
            return VncSecurityOutcome.NotInspected;
        }

        // The client's answer sets the version; servers take anything but 3.7 and 3.8 as 3.3 (section 7.1.1).
        var minor = ((version[8] - '0') * 100) + ((version[9] - '0') * 10) + (version[10] - '0');
        minor = minor is 7 or 8 ? minor : 3;
        var (type, early) = minor == 3 ? await ServerChosenTypeAsync().ConfigureAwait(false) : await ClientChosenTypeAsync().ConfigureAwait(false);
        if (early is { } outcome)
        {
            return outcome;
        }

        if (type == SecurityNone && minor < 8)
        {
            return VncSecurityOutcome.Passed;
        }

        if (type == SecurityVncAuth)
        {
            if (await FromHostAsync(VncAuth.ChallengeLength).ConfigureAwait(false) is null)
            {
                return VncSecurityOutcome.HostEnded;
            }

            if (await FromClientAsync(VncAuth.ChallengeLength).ConfigureAwait(false) is null)
            {
                return VncSecurityOutcome.Abandoned;
            }
        }
        else if (type != SecurityNone)
        {
            return VncSecurityOutcome.NotInspected;
        }

        var result = await FromHostAsync(4).ConfigureAwait(false);
        if (result is null)
        {
            return VncSecurityOutcome.HostEnded;
        }

        return BinaryPrimitives.ReadUInt32BigEndian(result) == 0 ? VncSecurityOutcome.Passed : VncSecurityOutcome.Failed;
    }

    private async Task<(int Type, VncSecurityOutcome? Early)> ClientChosenTypeAsync()
    {
        var count = await FromHostAsync(1).ConfigureAwait(false);
        if (count is null)
        {
            return (0, VncSecurityOutcome.HostEnded);
        }

        if (count[0] == 0)
        {
            return (0, VncSecurityOutcome.NotInspected); // a refusal with its reason: the pump forwards it
        }

        if (await FromHostAsync(count[0]).ConfigureAwait(false) is null)
        {
            return (0, VncSecurityOutcome.HostEnded);
        }

        var chosen = await FromClientAsync(1).ConfigureAwait(false);
        return chosen is null ? (0, VncSecurityOutcome.Abandoned) : (chosen[0], null);
    }

    private async Task<(int Type, VncSecurityOutcome? Early)> ServerChosenTypeAsync()
    {
        var chosen = await FromHostAsync(4).ConfigureAwait(false);
        if (chosen is null)
        {
            return (0, VncSecurityOutcome.HostEnded);
        }

        var type = BinaryPrimitives.ReadUInt32BigEndian(chosen);
        return type is SecurityNone or SecurityVncAuth ? ((int)type, null) : (0, VncSecurityOutcome.NotInspected);
    }

    private TcpProxyError Canceled() => _activity.TimedOut ? TcpProxyError.IdleTimeout : TcpProxyError.Canceled;

    private byte[]? End(TcpProxyError error)
    {
        _ended = true;
        _error = error;
        return null;
    }
}
