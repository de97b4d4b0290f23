using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using DesktopOperator.IntegrationTests.ApiServer;
using DesktopOperator.Testing.Kubelet;
using DesktopOperator.Testing.Waiting;
using static DesktopOperator.IntegrationTests.Conformance.KubeJson;

namespace DesktopOperator.IntegrationTests.SimulatedNode;

/// <summary>
/// The simulated kubelet's address range and readiness probe, in process (the same class the SimulatedNode program
/// runs): a pod is Ready exactly while something listens at its address and probe port; pods beyond the range wait
/// for an address.
/// </summary>
public sealed class SimulatedKubeletProbeTests
{
    private const string Pods = "api/v1/namespaces/t/pods";
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task ProbeReadiness_ListenerAtPodAddressAndNamedProbePort_ReadyOnlyWhileListening()
    {
        var net = $"127.0.{Random.Shared.Next(100, 250)}";
        await using var f = await ServerFixture.StartAsync();
        await using var kubelet = new SimulatedKubelet(f.Server.CreateClient(), Options($"{net}.21-{net}.22"));
        await kubelet.StartAsync();
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("a", """[{"name":"c","image":"x","ports":[{"name":"other","containerPort":7000},{"name":"vnc","containerPort":5901}],"readinessProbe":{"tcpSocket":{"port":"vnc"}}}]"""), Ct);

        var pod = await WaitAsync(f.Client, "a", p => Phase(p) == "Running", "pod a Running");
        Assert.Equal($"{net}.21", pod["status"]!["podIP"]!.ToString());
        Assert.False(IsReady(pod), "nothing listens yet");
        using (var listener = new TcpListener(IPAddress.Parse($"{net}.21"), 5901))
        {
            listener.Start();
            pod = await WaitAsync(f.Client, "a", IsReady, "pod a Ready once its probe port answers");
            Assert.True(pod["status"]!["containerStatuses"]![0]!["ready"]!.GetValue<bool>());
        }

        await WaitAsync(f.Client, "a", p => !IsReady(p), "pod a not Ready once nothing listens");
    }

    [Fact]
    public async Task ProbeReadiness_NoProbeButContainerPort_ProbesFirstContainerPort()
    {
        var net = $"127.0.{Random.Shared.Next(100, 250)}";
        await using var f = await ServerFixture.StartAsync();
        await using var kubelet = new SimulatedKubelet(f.Server.CreateClient(), Options($"{net}.21-{net}.22"));
        await kubelet.StartAsync();
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("rdp", """[{"name":"c","image":"x"},{"name":"d","image":"x","ports":[{"containerPort":3389}]}]"""), Ct);
        var rdp = await WaitAsync(f.Client, "rdp", p => Phase(p) == "Running", "pod rdp Running");
        Assert.False(IsReady(rdp), "nothing listens yet");

        using var listener = new TcpListener(IPAddress.Parse(rdp["status"]!["podIP"]!.ToString()), 3389);
        listener.Start();
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("noport", """[{"name":"c","image":"x"}]"""), Ct);

        await WaitAsync(f.Client, "rdp", IsReady, "the pod whose first containerPort answers is Ready");
        await WaitAsync(f.Client, "noport", IsReady, "a pod without ports (nothing to probe) is Ready once Running");
    }

    [Fact]
    public async Task PodIps_RangeExhausted_PodStartsWhenAnAddressFrees()
    {
        var ip = $"127.0.{Random.Shared.Next(100, 250)}.21";
        await using var f = await ServerFixture.StartAsync();
        await using var kubelet = new SimulatedKubelet(f.Server.CreateClient(), Options($"{ip}-{ip}"));
        await kubelet.StartAsync();
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("first", """[{"name":"c","image":"x"}]"""), Ct);
        await WaitAsync(f.Client, "first", p => Phase(p) == "Running", "the first pod takes the only address");
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("second", """[{"name":"c","image":"x"}]"""), Ct);
        await WaitAsync(f.Client, "second", p => p?["spec"]?["nodeName"] is not null, "the second pod is bound");
        Assert.Equal("Pending", Phase(await GetAsync(f.Client, $"{Pods}/second", Ct)));

        await SendAsync(f.Client, HttpMethod.Delete, $"{Pods}/first", null, Ct);

        var second = await WaitAsync(f.Client, "second", p => Phase(p) == "Running", "the second pod starts on the freed address");
        Assert.Equal(ip, second["status"]!["podIP"]!.ToString());
    }

    [Theory]
    [InlineData("127.0.0.40-127.0.0.21", "end is below its start")]
    [InlineData("127.0.0.x", "is not an IPv4 range")]
    [InlineData("::1-::2", "is not an IPv4 range")]
    public void Parse_BadRange_FormatExceptionSaysWhy(string range, string expected)
    {
        var e = Assert.Throws<FormatException>(() => PodIpPool.Parse(range));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_SkipsZeroAndBroadcastOctets_ReusesReleasedAddress()
    {
        var pool = PodIpPool.Parse("127.0.0.254-127.0.1.1");

        Assert.Equal("127.0.0.254", pool.Allocate("a"));
        Assert.Equal("127.0.1.1", pool.Allocate("b"));
        Assert.Null(pool.Allocate("c"));
        Assert.Equal("127.0.0.254", pool.Allocate("a"));
        pool.Release("a");
        Assert.Equal("127.0.0.254", pool.Allocate("c"));
    }

    private static SimulatedKubeletOptions Options(string range) => new()
    {
        Namespace = "t",
        PodIps = PodIpPool.Parse(range),
        ProbeReadiness = true,
        ReadinessProbePeriod = TimeSpan.FromMilliseconds(100),
        GracePeriodScale = 0,
    };

    private static string Pod(string name, string containers) =>
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"containers\":" + containers + "}}";

    private static string? Phase(JsonObject? pod) => pod?["status"]?["phase"]?.ToString();

    private static bool IsReady(JsonObject? pod) =>
        pod?["status"]?["conditions"] is JsonArray conditions && conditions.Any(c => c!["type"]!.ToString() == "Ready" && c["status"]!.ToString() == "True");

    private static async Task<JsonObject> WaitAsync(HttpClient client, string name, Func<JsonObject?, bool> condition, string what)
    {
        JsonObject? pod = null;
        try
        {
            await Eventually.TrueAsync(async () => condition(pod = await GetAsync(client, $"{Pods}/{name}", Ct)), what, Ct);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; the pod: {pod?.ToJsonString()}", e);
        }

        return pod!;
    }
}
