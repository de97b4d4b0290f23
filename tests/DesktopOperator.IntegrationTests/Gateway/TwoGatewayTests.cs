using System.Globalization;
using System.Net;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.IntegrationTests.Gateway;

/// <summary>
/// Two <c>desktop-operator gateway</c> processes (replicas A and B, same pool port on two loopback addresses) against
/// one test API server share their routes through SessionRoute objects: a user lands on the same host through either
/// replica, before and after a replica restarts, and when both see the user's first connection at the same moment;
/// there is one SessionRoute per user, and its status follows the connections. Affinity is by source address; users
/// are distinct client source addresses (127.0.1.x, ...).
/// </summary>
public sealed class TwoGatewayTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly IPAddress AddressA = NameHosts.Address(41);
    private static readonly IPAddress AddressB = NameHosts.Address(42);
    private readonly string _root = HostLogs.CreateDirectory("two-gateways");
    private int _nextUser;

    [Fact]
    public async Task TwoGateways_UserReturnsThroughTheOtherReplica_SameHostOneSessionRoute()
    {
        await using var run = await TwoGatewayRun.StartAsync(_root);
        await using var b = await run.StartGatewayAsync("gateway-b", AddressB);
        await using var a = await run.StartGatewayAsync("gateway-a", AddressA);
        var alice = NextUser();

        var host = await run.GreetingAsync(AddressA, alice);
        Assert.NotNull(host);
        Assert.Equal(host, await run.GreetingAsync(AddressB, alice));

        var route = Assert.Single(await run.RoutesOfAsync(alice));
        Assert.Equal(host, route.Status?.Host);
    }

    [Fact]
    public async Task TwoGateways_ReplicaARestarted_EveryKnownUserLandsOnTheirHostThroughNewAAndB()
    {
        await using var run = await TwoGatewayRun.StartAsync(_root);
        await using var b = await run.StartGatewayAsync("gateway-b", AddressB);
        var a = await run.StartGatewayAsync("gateway-a", AddressA);
        try
        {
            var known = new Dictionary<IPAddress, string>();
            for (var i = 0; i < 10; i++)
            {
                var user = NextUser();
                var host = await run.GreetingAsync(i % 2 == 0 ? AddressA : AddressB, user);
                known[user] = Assert.IsType<string>(host);
            }

            Assert.Equal(2, known.Values.Distinct().Count()); // users are spread over both hosts

            await a.Process.StopAsync(TimeSpan.FromSeconds(10)); // SIGTERM, then SIGKILL only if still running
            Assert.Equal(0, a.Process.ExitCode);
            await a.DisposeAsync();
            a = await run.StartGatewayAsync("gateway-a2", AddressA);

            foreach (var (user, host) in known)
            {
                Assert.Equal(host, await run.GreetingAsync(AddressA, user));
                Assert.Equal(host, await run.GreetingAsync(AddressB, user));
            }
        }
        finally
        {
            await a.DisposeAsync();
        }
    }

    [Fact]
    public async Task TwoGateways_NewUsersConnectToBothAtOnce_BothConnectionsSameHostOneSessionRouteEach()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("TWO_GATEWAYS_USERS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 30;
        await using var run = await TwoGatewayRun.StartAsync(_root);
        await using var b = await run.StartGatewayAsync("gateway-b", AddressB);
        await using var a = await run.StartGatewayAsync("gateway-a", AddressA);
        var users = Enumerable.Range(0, count).Select(_ => NextUser()).ToList();

        // Every user's two connections start together, and all users start together.
        var landed = await Task.WhenAll(users.Select(async user =>
        {
            var both = await Task.WhenAll(run.GreetingAsync(AddressA, user), run.GreetingAsync(AddressB, user));
            return (User: user, A: both[0], B: both[1]);
        }));

        var routes = await run.RoutesAsync();
        foreach (var (user, viaA, viaB) in landed)
        {
            Assert.True(viaA is not null, $"{user} reached a host through A: {a.Process.ReadOutput()}");
            Assert.True(viaB is not null, $"{user} reached a host through B: {b.Process.ReadOutput()}");
            Assert.True(viaA == viaB, $"{user} reached {viaA} through A and {viaB} through B:\n{LinesOf(user, a)}\n{LinesOf(user, b)}");
            var route = Assert.Single(routes, r => r.Spec.User == user.ToString());
            Assert.Equal(viaA, route.Status?.Host);
        }

        Assert.True(count == routes.Count, $"{count} routes, one per user: {string.Join(", ", routes.Select(r => r.Spec.User))}");
    }

    [Fact]
    public async Task TwoGateways_ConnectionsClosed_SessionRoutePhaseBecomesDisconnected()
    {
        await using var run = await TwoGatewayRun.StartAsync(_root);
        await using var b = await run.StartGatewayAsync("gateway-b", AddressB);
        await using var a = await run.StartGatewayAsync("gateway-a", AddressA);
        var users = Enumerable.Range(0, 5).Select(_ => NextUser()).ToList();
        foreach (var user in users)
        {
            Assert.NotNull(await run.GreetingAsync(AddressA, user));
            Assert.NotNull(await run.GreetingAsync(AddressB, user));
        }

        // The hosts close every connection after their greeting; the coalesced status write must follow.
        foreach (var user in users)
        {
            await Eventually.TrueAsync(
                async () => (await run.RoutesOfAsync(user)) is [{ Status: { Phase: SessionRoutePhase.Disconnected, ActiveConnections: 0 } }],
                () => $"{user}'s route says Disconnected: {a.Process.ReadOutput()}{b.Process.ReadOutput()}",
                Ct,
                Wait);
        }
    }

    public void Dispose() => HostLogs.Remove(_root);

    /// <summary>What <paramref name="gateway"/> logged about <paramref name="user"/>, for a failure message.</summary>
    private static string LinesOf(IPAddress user, GatewayProcess gateway) =>
        string.Join('\n', gateway.Process.ReadOutput().Split('\n').Where(l => l.Contains(user.ToString() + " ", StringComparison.Ordinal) || l.Contains(user.ToString() + ":", StringComparison.Ordinal)).Select(l => gateway.Process.Name + ": " + l));

    /// <summary>A new user: a client source address no other connection of this test used (127.0.1.x, 127.0.2.x, ...).</summary>
    private IPAddress NextUser()
    {
        var n = Interlocked.Increment(ref _nextUser);
        return new IPAddress([127, 0, (byte)(1 + (n / 250)), (byte)(1 + (n % 250))]);
    }
}
