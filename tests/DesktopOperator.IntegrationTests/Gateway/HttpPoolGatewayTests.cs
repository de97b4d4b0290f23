using System.Net;
using System.Text.Json;
using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Kube.Client;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Waiting;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.IntegrationTests.Gateway;

/// <summary>
/// An <c>Http</c> pool through <c>desktop-operator gateway</c> in Kubernetes mode, against the test API server: two
/// Ready pods of a template pool whose pod IPs are loopback addresses, each a real HTTP server (Kestrel) that answers
/// with its pod's name and the path it got. A browser-like client (a cookie jar) lands on a pod under the pool's
/// path, the gateway writes the user's SessionRoute bound to that pod (status.host) once the browser comes back with its cookie,
/// and new connections with the same cookie come back to the same pod, while a browser without the cookie is balanced to the other one.
/// </summary>
public sealed class HttpPoolGatewayTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly (string Pod, IPAddress Address)[] Pods = [("web-a", LoopbackPorts.Address(51)), ("web-b", LoopbackPorts.Address(52))];
    private readonly string _root = HostLogs.CreateDirectory("gateway-http");

    [Fact]
    public async Task Gateway_HttpPool_RequestLandsOnAPodSessionRouteWrittenReconnectKeepsThePod()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        var port = LoopbackPorts.GetFreePort(Pods[0].Address);
        await using var hosts = await StartPodServersAsync(port);
        var pool = await cluster.Client.CreateAsync(Pool(cluster.Namespace, port), Ct);
        foreach (var (pod, address) in Pods)
        {
            await CreateReadyPodAsync(cluster, pool, pod, address.ToString());
        }

        await using var gateway = GatewayProcess.Start(cluster, _root);
        await Eventually.TrueAsync(async () => await gateway.StatusOfAsync("/readyz") == HttpStatusCode.OK, () => $"/readyz answers 200: {gateway.Process.ReadOutput()}", Ct, Wait);
        var jar = new CookieContainer();

        // The pods reach the gateway's HTTP routes a moment after /readyz: retry (with the same cookie) until routed.
        string? first = null;
        await Eventually.TrueAsync(async () => (first = await GetAsync(gateway, jar, "/web/hello")) is not null, () => $"a request under /web/ is routed: {gateway.Process.ReadOutput()}", Ct, Wait);
        var (host, path) = Split(first!);

        Assert.Contains(host, Pods.Select(p => p.Pod));
        Assert.Equal("/hello", path);
        Assert.NotEmpty(jar.GetCookies(new Uri(gateway.Admin)));

        // Reconnects: each request on a new connection (a new client), the same cookie. A request without the cookie
        // stores no route: the first one that brings it back writes the SessionRoute, on the pod the cookie names.
        for (var i = 0; i < 5; i++)
        {
            var again = await GetAsync(gateway, jar, $"/web/again/{i}");
            Assert.Equal((host, $"/again/{i}"), again is null ? default : Split(again));
            if (i == 0)
            {
                await Eventually.TrueAsync(
                    async () => await RoutesAsync(cluster) is [{ Status.Host: var routed }] && routed == host,
                    $"one SessionRoute of pool web names {host}: {string.Join(", ", (await RoutesAsync(cluster)).Select(r => $"{r.Spec.User}->{r.Status?.Host}"))}",
                    Ct, Wait);
            }
        }

        var route = Assert.Single(await RoutesAsync(cluster));
        Assert.Equal(host, route.Status?.Host);
        Assert.Null(route.Spec.Host);

        // Staying was not the only choice: another browser (no cookie) goes to the other pod (LeastSessions), and its
        // route, made when it comes back with its cookie, stays there.
        var otherJar = new CookieContainer();
        var otherPod = Pods.Single(p => p.Pod != host).Pod;
        foreach (var otherPath in new[] { "/web/", "/web/back" })
        {
            var other = await GetAsync(gateway, otherJar, otherPath);
            Assert.NotNull(other);
            Assert.Equal(otherPod, Split(other).Host);
        }

        await Eventually.TrueAsync(async () => (await RoutesAsync(cluster)).Count == 2, "a second SessionRoute for the second browser", Ct, Wait);
        Assert.Contains(await RoutesAsync(cluster), r => r.Status?.Host == otherPod);
    }

    public void Dispose() => HostLogs.Remove(_root);

    /// <summary>GET <paramref name="path"/> through the gateway on a fresh connection with <paramref name="jar"/>; the body, or null unless 200.</summary>
    private static async Task<string?> GetAsync(GatewayProcess gateway, CookieContainer jar, string path)
    {
        using var client = new HttpClient(new SocketsHttpHandler { CookieContainer = jar, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(5) };
        using var response = await client.GetAsync(new Uri(gateway.Admin + path), Ct);
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync(Ct) : null;
    }

    private static (string Host, string Path) Split(string body)
    {
        var parts = body.Split(' ', 2);
        return (parts[0], parts.Length > 1 ? parts[1] : "");
    }

    private static async Task<IReadOnlyList<SessionRoute>> RoutesAsync(KubeCluster cluster) =>
        [.. (await cluster.Client.ListAsync<SessionRoute>(cluster.Namespace, null, Ct)).Items.Where(r => r.Spec.Pool == "web")];

    /// <summary>One Kestrel on <paramref name="port"/> of every pod address, answering "POD PATH" by the address the request came in on.</summary>
    private static async Task<WebApplication> StartPodServersAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var (_, address) in Pods)
            {
                kestrel.Listen(address, port);
            }
        });
        var app = builder.Build();
        app.Run(context =>
        {
            var local = context.Connection.LocalIpAddress;
            var pod = Pods.Single(p => p.Address.Equals(local)).Pod;
            return context.Response.WriteAsync($"{pod} {context.Request.Path}", context.RequestAborted);
        });
        await app.StartAsync(Ct);
        return app;
    }

    private static DesktopPool Pool(string ns, int hostPort) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = ns },
        Spec = new DesktopPoolSpec
        {
            Template = new HostTemplate { Spec = JsonDocument.Parse("""{"containers":[{"name":"desktop","image":"example/novnc:1"}]}""").RootElement.Clone() },
            Protocols = [new ProtocolSpec { Name = "novnc", Kind = ProtocolKind.Http, Port = hostPort, Path = "/web/" }],
            Capacity = new CapacitySpec { SessionsPerHost = 50, MinHosts = 1, MaxHosts = 4 },
        },
    };

    /// <summary>A host pod of <paramref name="pool"/> as the operator makes it (label, controller owner), Ready at <paramref name="ip"/>.</summary>
    private static async Task CreateReadyPodAsync(KubeCluster cluster, DesktopPool pool, string name, string ip)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = cluster.Namespace,
                Labels = new Dictionary<string, string> { [HostLabels.Pool] = pool.Metadata.Name, [HostLabels.ManagedBy] = HostLabels.ManagedByValue },
                OwnerReferences = [new V1OwnerReference { ApiVersion = pool.ApiVersion, Kind = pool.Kind, Name = pool.Metadata.Name, Uid = pool.Metadata.Uid, Controller = true }],
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "desktop", Image = "example/novnc:1" }] },
        };
        await cluster.Client.CreateAsync(pod, Ct);
        var status = $$$"""{"status":{"phase":"Running","podIP":"{{{ip}}}","conditions":[{"type":"Ready","status":"True"}]}}""";
        await cluster.Client.PatchAsync<V1Pod>(name, cluster.Namespace, new V1Patch(status, V1Patch.PatchType.MergePatch), null, "status", Ct);
    }
}
