using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.EndToEndTests.Standalone;

/// <summary>
/// <c>/readyz</c> answers 200 only while the gateway serves what its manifests ask, and the start-up summary counts
/// rejected files and unbound ports as problems. The hosts need not exist: readiness is about the gateway's own ports.
/// </summary>
public sealed class ReadinessTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [ToolFact("setsid")]
    public async Task EveryManifestRejected_NotReadyAndSummaryCountsTheFile()
    {
        using var folders = new GatewayFolders("readiness-rejected");
        await File.WriteAllTextAsync(Path.Combine(folders.Manifests, "broken.yaml"), "kind: DesktopPool\nspec: [\n");
        await using var gateway = Start(folders, out var admin);

        var (status, body) = await WaitForHttpAsync(gateway, new Uri(admin, "/readyz"));

        Assert.True(status == HttpStatusCode.ServiceUnavailable, body);
        Assert.Contains("every manifest was rejected: broken.yaml", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(new Uri(admin, "/healthz")))?.Status);
        Assert.True(
            await Eventually.HoldsAsync(() => gateway.ReadOutput().Contains("0 pools loaded, 1 file rejected: broken.yaml", StringComparison.Ordinal), StartTimeout, CancellationToken.None),
            gateway.ReadOutput());
        Assert.DoesNotContain("no problems", gateway.ReadOutput(), StringComparison.Ordinal);
    }

    [ToolFact("setsid")]
    public async Task GoodPoolBesideRejectedFile_ReadyAndSummaryNamesTheFile()
    {
        using var folders = new GatewayFolders("readiness-mixed");
        folders.WritePool(GatewayProxy.ManifestFile, Setup(), LoopbackPorts.GetFreePort(IPAddress.Loopback));
        await File.WriteAllTextAsync(Path.Combine(folders.Manifests, "broken.yaml"), "kind: DesktopPool\nspec: [\n");
        await using var gateway = Start(folders, out var admin);

        var (status, body) = await WaitForHttpAsync(gateway, new Uri(admin, "/readyz"));

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.True(
            await Eventually.HoldsAsync(() => gateway.ReadOutput().Contains("1 pool loaded, 1 file rejected: broken.yaml", StringComparison.Ordinal), StartTimeout, CancellationToken.None),
            gateway.ReadOutput());
    }

    [ToolFact("setsid")]
    public async Task PoolPortInUse_NotReadyAndProblemNamesThePort()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        using var folders = new GatewayFolders("readiness-port");
        folders.WritePool(GatewayProxy.ManifestFile, Setup(), port);
        await using var gateway = Start(folders, out var admin);

        var (status, body) = await WaitForHttpAsync(gateway, new Uri(admin, "/readyz"));

        Assert.True(status == HttpStatusCode.ServiceUnavailable, body);
        Assert.Contains($"not every pool is served: default/{GatewayProxy.PoolName}: spec.protocols[vnc].gatewayPort: cannot listen on 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", body, StringComparison.Ordinal);
        Assert.True(
            await Eventually.HoldsAsync(() => gateway.ReadOutput().Contains("1 pool loaded, 1 problem: ", StringComparison.Ordinal), StartTimeout, CancellationToken.None),
            gateway.ReadOutput());
    }

    /// <summary>A VNC pool over two hosts on a port nothing serves (health checks fail; readiness does not look at them).</summary>
    private static ProxySetup Setup()
    {
        var port = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        return new ProxySetup(
            IPAddress.Loopback,
            [new ProxyBackend("ready-a", new IPEndPoint(LoopbackPorts.Address(61), port)), new ProxyBackend("ready-b", new IPEndPoint(LoopbackPorts.Address(62), port))],
            ProxyBalancing.RoundRobin) { ProtocolKind = "Vnc" };
    }

    /// <summary>Starts the gateway without waiting for readiness (StandaloneGateway.StartAsync waits for 200).</summary>
    private static ChildProcess Start(GatewayFolders folders, out Uri admin)
    {
        admin = new Uri($"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback).ToString(CultureInfo.InvariantCulture)}/");
        return ChildProcess.Start(
            "gateway", GatewayProxy.FindExecutable(), StandaloneGateway.Arguments(folders.Options("gateway"), admin), folders.Root);
    }

    /// <summary>The first answer of <paramref name="uri"/> once the HTTP endpoint listens.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> WaitForHttpAsync(ChildProcess gateway, Uri uri)
    {
        (HttpStatusCode Status, string Body)? answer = null;
        using var limit = new CancellationTokenSource(StartTimeout);
        while (answer is null && !gateway.HasExited && !limit.IsCancellationRequested)
        {
            answer = await GetAsync(uri);
            if (answer is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
            }
        }

        return answer ?? throw new TimeoutException($"{uri} did not answer: {gateway.ReadOutput()}");
    }

    private static async Task<(HttpStatusCode Status, string Body)?> GetAsync(Uri uri)
    {
        try
        {
            using var response = await Http.GetAsync(uri);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
