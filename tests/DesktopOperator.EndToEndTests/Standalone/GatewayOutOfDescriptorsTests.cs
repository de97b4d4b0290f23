using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;
using DesktopOperator.Testing.Waiting;
using Xunit.Abstractions;
using static DesktopOperator.EndToEndTests.Standalone.GatewayDescriptorLimitTests;

namespace DesktopOperator.EndToEndTests.Standalone;

/// <summary>
/// The standalone gateway as a process whose <c>--max-connections</c> is above what its open-file limit
/// (<c>prlimit --nofile</c>) can serve, so its host sockets or its accepts meet EMFILE. Before the gateway accepted on
/// its own listener, Kestrel retried <c>accept4</c> in a tight loop and the runtime aborted when it could not start a
/// thread; later, a gateway whose host sockets met EMFILE first (every accept succeeding on the descriptor the last
/// failed connection freed) sat at its limit with its reserve held until the runtime, starting a thread, died with
/// "Out of memory.". Now: the process lives, the failures are counted, it does not spin, /healthz answers, and a new
/// client is served once the held connections close.
/// </summary>
public sealed class GatewayOutOfDescriptorsTests(ITestOutputHelper output)
{
    // An idle gateway holds about 234 descriptors plus its reserve of 32: about 65 proxied connections fit in 400.
    private const int OpenFileLimit = 400;
    private const int Cap = 150;
    private const int BurstSize = 10;
    private const int MaxPending = 300;
    private const string ReserveReleased = "released the reserve of 32";

    // Linux reports /proc/PID/stat times in USER_HZ, which is 100 on every architecture the runtime supports.
    private const double TicksPerSecond = 100;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [ToolFact("prlimit", "setsid")]
    public async Task MaxConnectionsAboveTheOpenFileLimit_OutOfDescriptors_LivesCountsDoesNotSpinAndServesAgain()
    {
        await using var limited = LimitedGateway.Start("fd-emfile", 74, OpenFileLimit, Cap);
        var (gateway, gatewayPort, admin) = (limited.Process, limited.Port, limited.Admin);
        var held = new List<Socket>();
        try
        {
            await Eventually.TrueAsync(async () => await StatusAsync(admin, "/readyz") == HttpStatusCode.OK || gateway.HasExited, "the gateway ready", CancellationToken.None, Bound);
            Assert.False(gateway.HasExited, gateway.ReadOutput());

            // Served connections until the first that is not (its host connect or its accept ran out of descriptors).
            await Eventually.TrueAsync(async () => await TryEchoAsync(gatewayPort, 1) is { } first && Keep(held, first), "a first connection echoed", CancellationToken.None, Bound);
            while (held.Count < Cap && await TryEchoAsync(gatewayPort, (byte)held.Count) is { } served)
            {
                held.Add(served);
            }

            Assert.True(held.Count < Cap, $"{held.Count} connections served: the limit of {OpenFileLimit} never ran out");
            output.WriteLine($"{held.Count} connections served before the first that was not");

            // Bursts of clients until the reserve is out: given back at the first EMFILE, a host socket's (the usual
            // case: the last connection above was refused for it) or an accept's that ran ahead of the host connects.
            await Eventually.TrueAsync(
                async () =>
                {
                    if (!gateway.ReadOutput().Contains(ReserveReleased, StringComparison.Ordinal) && held.Count < MaxPending)
                    {
                        await OpenBurstAsync(gatewayPort, held);
                    }

                    return OutOfDescriptorFailures(await MetricsAsync(admin)) > 0 && gateway.ReadOutput().Contains(ReserveReleased, StringComparison.Ordinal)
                        || gateway.HasExited;
                },
                "the reserve released and the failures counted",
                CancellationToken.None,
                Bound);
            Assert.False(gateway.HasExited, gateway.ReadOutput());

            // One more burst while it is out: they wait in the backlog while the spin check below runs.
            await OpenBurstAsync(gatewayPort, held);

            // Out of descriptors for a while: one more client (not served while the reserve is out), health, metrics.
            var (cpuBefore, wallBefore) = (CpuSeconds(gateway.Id), DateTimeOffset.UtcNow);
            if (await TryEchoAsync(gatewayPort, 2) is { } late)
            {
                held.Add(late);
            }

            Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, "/healthz"));
            Assert.True(OutOfDescriptorFailures(await MetricsAsync(admin)) > 0);
            var cpu = CpuSeconds(gateway.Id) - cpuBefore;
            var wall = (DateTimeOffset.UtcNow - wallBefore).TotalSeconds;
            output.WriteLine($"at EMFILE: {cpu:F2} s of CPU in {wall:F2} s ({cpu / wall:P1}); {held.Count} client sockets open; {OutOfDescriptorFailures(await MetricsAsync(admin))} failed accepts and host sockets");
            Assert.True(cpu < 0.25 * wall, $"the gateway spun at EMFILE: {cpu:F2} s of CPU in {wall:F2} s");
            Assert.False(gateway.HasExited, gateway.ReadOutput());

            // The held connections close: descriptors come back, the reserve is retaken and a new client is served.
            foreach (var socket in held)
            {
                socket.Dispose();
            }

            held.Clear();
            Socket? again = null;
            await Eventually.TrueAsync(async () => (again = await TryEchoAsync(gatewayPort, 7)) is not null || gateway.HasExited, "a new connection served after closing the held ones", CancellationToken.None, Bound);
            Assert.False(gateway.HasExited, gateway.ReadOutput());
            again!.Dispose();
            Assert.DoesNotContain("Out of memory", gateway.ReadOutput(), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var socket in held)
            {
                socket.Dispose();
            }
        }
    }

    private static bool Keep(List<Socket> held, Socket socket)
    {
        held.Add(socket);
        return true;
    }

    /// <summary>Connects <see cref="BurstSize"/> clients at once without waiting for service; keeps their sockets.</summary>
    private static async Task OpenBurstAsync(int port, List<Socket> held)
    {
        var connects = new List<Task<Socket>>(BurstSize);
        for (var i = 0; i < BurstSize; i++)
        {
            connects.Add(TcpConnectAsync(port));
        }

        foreach (var connect in connects)
        {
            try
            {
                held.Add(await connect);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // Refused or reset: counts as a try all the same.
            }
        }
    }

    /// <summary>User plus system CPU time of process <paramref name="pid"/>, from <c>/proc/PID/stat</c> (fields 14 and 15).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>
    /// Accepts and host sockets that met EMFILE: the sum of <c>gateway_accept_errors_total{reason="too_many_open_files"}</c>
    /// and <c>gateway_connections_total{result="gateway_out_of_descriptors"}</c>.
    /// </summary>
    private static double OutOfDescriptorFailures(string metrics)
    {
        var total = 0.0;
        foreach (var line in metrics.Split('\n'))
        {
            if ((line.StartsWith("gateway_accept_errors_total{", StringComparison.Ordinal) && line.Contains("reason=\"too_many_open_files\"", StringComparison.Ordinal))
                || (line.StartsWith("gateway_connections_total{", StringComparison.Ordinal) && line.Contains("result=\"gateway_out_of_descriptors\"", StringComparison.Ordinal)))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }
}
