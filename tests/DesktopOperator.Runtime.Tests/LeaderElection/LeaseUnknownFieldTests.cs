using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Runtime.LeaderElection;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Waiting;
using k8s.Models;

namespace DesktopOperator.Runtime.Tests.LeaderElection;

/// <summary>
/// A Lease field that KubernetesClient's model does not know (a newer server's) survives the elector's writes,
/// which are merge patches; a PUT of the Lease read through the model would drop it.
/// </summary>
public sealed class LeaseUnknownFieldTests : IAsyncLifetime
{
    private const string LeasePath = "/apis/coordination.k8s.io/v1/namespaces/default/leases/";

    private readonly TestApiServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("package")]
    [InlineData("client")]
    public async Task Elector_AcquiresRenewsAndReleases_KeepsAFieldTheModelLacks(string verbs)
    {
        using var http = _server.CreateClient();
        await CreateLeaseWithUnknownFieldAsync(http, "with-future-field");
        using var client = new KubernetesClient(new KubeClientSettings { Host = _server.BaseAddress });
        using var kubernetes = KubernetesFactory.Create(new KubeClientSettings { Host = _server.BaseAddress });
        var options = new LeaderElectionOptions
        {
            Namespace = "default",
            LeaseName = "with-future-field",
            Identity = "me",
            LeaseDuration = TimeSpan.FromSeconds(4),
            RenewDeadline = TimeSpan.FromSeconds(3),
            RetryPeriod = TimeSpan.FromMilliseconds(100),
        };
        var callbacks = new LeaderCallbacks { OnStartedLeading = ct => Task.Delay(Timeout.Infinite, ct) };
        var elector = verbs == "package" ? new LeaderElector(kubernetes, options, callbacks) : new LeaderElector(client, options, callbacks);
        using var stop = new CancellationTokenSource();

        await using var history = new LeaseHistory(client, "default", "with-future-field");

        var run = Task.Run(() => elector.RunAsync(stop.Token));
        await Eventually.WaitAsync(() => history.Versions.Count(v => v.HolderIdentity == "me") >= 2, "me acquired and renewed");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        var released = await ReadAsync(http, "with-future-field");
        Assert.Equal("", released["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal("kept", released["spec"]!["futureField"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReplaceOfTheModelReadObject_DropsTheFieldTheModelLacks()
    {
        using var http = _server.CreateClient();
        await CreateLeaseWithUnknownFieldAsync(http, "replaced");
        using var client = new KubernetesClient(new KubeClientSettings { Host = _server.BaseAddress });

        var lease = await client.GetAsync<V1Lease>("replaced", "default", CancellationToken.None);
        lease.Spec.HolderIdentity = "put";
        await client.ReplaceAsync(lease, CancellationToken.None);

        var after = await ReadAsync(http, "replaced");
        Assert.Null(after["spec"]!["futureField"]);
    }

    private static async Task CreateLeaseWithUnknownFieldAsync(HttpClient http, string name)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["futureField"] = "kept" },
        };
        using var response = await http.PostAsJsonAsync("/apis/coordination.k8s.io/v1/namespaces/default/leases", body);
        response.EnsureSuccessStatusCode();
        Assert.Equal("kept", (await ReadAsync(http, name))["spec"]!["futureField"]!.GetValue<string>());
    }

    private static async Task<JsonNode> ReadAsync(HttpClient http, string name) =>
        (await http.GetFromJsonAsync<JsonNode>(LeasePath + name))!;
}
