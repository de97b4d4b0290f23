using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.IntegrationTests.Conformance;

/// <summary>
/// An API server the conformance checks run against: where it is, how to reach it (handler with credentials), and a
/// factory of fresh namespaces. The checks use only HTTP, so a real cluster and the test server are interchangeable.
/// </summary>
public abstract class ConformanceTarget : IAsyncDisposable
{
    private readonly List<string> _namespaces = [];

    public abstract Uri BaseAddress { get; }

    /// <summary>Whether garbage collection (kube-controller-manager) runs, so GC checks can assert deletion.</summary>
    public virtual bool HasGarbageCollector => true;

    /// <summary>A handler carrying the target's TLS settings and credentials; the caller disposes it.</summary>
    public abstract HttpMessageHandler CreateHandler();

    public HttpClient CreateClient()
    {
        var client = new HttpClient(CreateHandler(), disposeHandler: true) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("conformance/v0.1.0");
        return client;
    }

    /// <summary>Creates a uniquely named namespace for one check (through the API) and returns its name.</summary>
    public async Task<string> CreateNamespaceAsync(CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        var name = "conf-" + Guid.NewGuid().ToString("N")[..10];
        lock (_namespaces)
        {
            _namespaces.Add(name);
        }

        using var response = await client.PostAsync("api/v1/namespaces", KubeJson.Content("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}"), cancellationToken);
        response.EnsureSuccessStatusCode();
        await WaitForDefaultServiceAccountAsync(client, name, cancellationToken);
        return name;
    }

    /// <summary>Registers the Widget CRD of the golden transcripts unless present, and waits until it is Established.</summary>
    public async Task EnsureWidgetCrdAsync(CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        using var get = await client.GetAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.test", cancellationToken);
        if (get.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            var crd = ApiServer.TranscriptReplayer.WidgetCrd().ToJsonString();
            using var post = await client.PostAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", KubeJson.Content(crd), cancellationToken);
            if (post.StatusCode != System.Net.HttpStatusCode.Conflict)
            {
                post.EnsureSuccessStatusCode();
            }
        }

        await Eventually.TrueAsync(async () =>
        {
            var crd = await KubeJson.GetAsync(client, "apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.test", cancellationToken);
            return crd?["status"]?["conditions"]?.AsArray().Any(c => c?["type"]?.ToString() == "Established" && c["status"]?.ToString() == "True") == true;
        }, "the Widget CRD becomes Established", cancellationToken);
    }

    /// <summary>
    /// Deletes every namespace <see cref="CreateNamespaceAsync"/> made (by name, whether its check passed or not: a real
    /// cluster must not collect leftovers), then releases the target.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await DeleteNamespacesAsync().ConfigureAwait(false);
        }
        finally
        {
            await DisposeCoreAsync().ConfigureAwait(false);
            GC.SuppressFinalize(this);
        }
    }

    protected abstract ValueTask DisposeCoreAsync();

    private async Task DeleteNamespacesAsync()
    {
        string[] names;
        lock (_namespaces)
        {
            names = [.. _namespaces];
            _namespaces.Clear();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = CreateClient();
        var failures = new List<string>();
        foreach (var name in names)
        {
            using var response = await client.DeleteAsync($"api/v1/namespaces/{name}", cts.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && response.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                failures.Add($"{name}: {(int)response.StatusCode}");
            }
        }

        if (failures.Count > 0)
        {
            throw new InvalidOperationException("could not delete the conformance namespaces " + string.Join(", ", failures));
        }
    }

    private static Task WaitForDefaultServiceAccountAsync(HttpClient client, string ns, CancellationToken ct) =>
        Eventually.TrueAsync(async () => await KubeJson.GetAsync(client, $"api/v1/namespaces/{ns}/serviceaccounts/default", ct) is not null, "the default ServiceAccount exists", ct);
}
