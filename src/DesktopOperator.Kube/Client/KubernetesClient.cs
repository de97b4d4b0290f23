using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using DesktopOperator.Kube.Config;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>
/// <see cref="IKubernetesClient"/> on KubernetesClient's <see cref="Kubernetes"/>: requests go through its
/// <c>HttpClient</c>, so our generic verbs and the package's typed ones (<see cref="IKubernetes"/>) share one
/// handler chain (<see cref="KubernetesFactory"/>): one connection pool, one credential provider, one retry policy.
/// URLs, bodies, the typed errors (<see cref="KubeApiErrors"/>) and the watch decoder are ours. Requests ask for
/// HTTP/2 or lower as the package's do, so over TLS they share its multiplexed connection. Thread-safe; one
/// instance per process and API server. Requests carry <c>User-Agent: desktop-operator/&lt;version&gt;</c>, which
/// the API server also records as the field manager of updates.
/// </summary>
public sealed partial class KubernetesClient : IKubernetesClient, IDisposable
{
    public static string UserAgent { get; } = "desktop-operator/" + Version();

    private readonly Kubernetes _kubernetes;
    private readonly bool _ownsKubernetes;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _baseUrl;

    /// <summary>A client with its own <see cref="Kubernetes"/> (built by <see cref="KubernetesFactory"/>, disposed with it).</summary>
    public KubernetesClient(KubeClientSettings config, ILogger<KubernetesClient>? logger = null, TimeProvider? timeProvider = null, KubeRetryPolicy? retryPolicy = null)
        : this(KubernetesFactory.Create(config, logger, timeProvider, retryPolicy), logger, timeProvider, ownsKubernetes: true)
    {
    }

    /// <summary>
    /// Our verbs on <paramref name="kubernetes"/>, which should come from <see cref="KubernetesFactory"/> (its
    /// pipeline adds credentials and retries; a <see cref="Kubernetes"/> built otherwise gets neither from us). The
    /// caller keeps owning it.
    /// </summary>
    public KubernetesClient(Kubernetes kubernetes, ILogger<KubernetesClient>? logger = null, TimeProvider? timeProvider = null)
        : this(kubernetes, logger, timeProvider, ownsKubernetes: false)
    {
    }

    /// <summary>Also the test seam: a <see cref="Kubernetes"/> with replaced retry waits, owned by the client.</summary>
    internal KubernetesClient(Kubernetes kubernetes, ILogger? logger, TimeProvider? timeProvider, bool ownsKubernetes)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        _kubernetes = kubernetes;
        _ownsKubernetes = ownsKubernetes;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        BaseUri = kubernetes.BaseUri;

        // Keeps a path prefix of the server URL (e.g. a proxy's https://host/k8s/clusters/c1).
        _baseUrl = kubernetes.BaseUri.AbsoluteUri.TrimEnd('/');
    }

    public Uri BaseUri { get; }

    public async Task<T> GetAsync<T>(string name, string? namespaceName, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var path = ResourceUrl.Build(EntityInfo<T>.Entity, namespaceName, name, null, namespaceRequired: true);
        return await SendForObjectAsync<T>(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<KubernetesList<T>> ListAsync<T>(string? namespaceName, ListOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var path = ResourceUrl.WithQuery(
            ResourceUrl.Build(EntityInfo<T>.Entity, namespaceName, null, null, namespaceRequired: false),
            KubeQuery.Of(options));
        return await SendForObjectAsync<KubernetesList<T>>(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
    }

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        EntityInfo<T>.Initialize(obj);
        var path = ResourceUrl.Build(EntityInfo<T>.Entity, obj.Metadata.NamespaceProperty, null, null, namespaceRequired: true);
        return SendForObjectAsync<T>(HttpMethod.Post, path, JsonBody(obj), cancellationToken);
    }

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => PutAsync(obj, null, cancellationToken);

    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => PutAsync(obj, "status", cancellationToken);

    public Task<T> PatchAsync<T>(string name, string? namespaceName, V1Patch patch, PatchOptions? options, string? subresource, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(patch);
        var path = ResourceUrl.WithQuery(
            ResourceUrl.Build(EntityInfo<T>.Entity, namespaceName, name, subresource, namespaceRequired: true),
            KubeQuery.Of(options));
        var body = new Body(PatchBytes(patch), KubeQuery.ContentType(patch.Type));
        return SendForObjectAsync<T>(HttpMethod.Patch, path, body, cancellationToken);
    }

    public async Task<T?> DeleteAsync<T>(string name, string? namespaceName, DeleteOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var path = ResourceUrl.Build(EntityInfo<T>.Entity, namespaceName, name, null, namespaceRequired: true);
        var body = options is null ? null : JsonBody(KubeQuery.DeleteBody(options));
        using var response = await SendAsync(HttpMethod.Delete, path, body, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(bytes);
        if (document.RootElement.TryGetProperty("kind", out var kind) && kind.ValueEquals("Status") && typeof(T) != typeof(V1Status))
        {
            return null;
        }

        return document.RootElement.Deserialize<T>(KubeJson.Options);
    }

    public void Dispose()
    {
        if (_ownsKubernetes)
        {
            _kubernetes.Dispose();
        }
    }

    private Task<T> PutAsync<T>(T obj, string? subresource, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        EntityInfo<T>.Initialize(obj);
        var path = ResourceUrl.Build(EntityInfo<T>.Entity, obj.Metadata.NamespaceProperty, obj.Metadata.Name ?? "", subresource, namespaceRequired: true);
        return SendForObjectAsync<T>(HttpMethod.Put, path, JsonBody(obj), cancellationToken);
    }

    private async Task<TResult> SendForObjectAsync<TResult>(HttpMethod method, string path, Body? body, CancellationToken cancellationToken)
        where TResult : class
    {
        using var response = await SendAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<TResult>(stream, KubeJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException($"{method} {path} answered JSON null.");
        }
    }

    /// <summary>
    /// The one exit to the package's pipeline (which retries and refreshes credentials, see
    /// <see cref="KubePipelineHandler"/>). Returns a 2xx answer with its body unread; any other final answer becomes
    /// the typed <see cref="KubeApiException"/> here.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Body? body, CancellationToken cancellationToken)
    {
        using var request = Request(method, path, body);
        var response = await _kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await KubeApiErrors.FromResponseAsync(response, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path, Body? body)
    {
        var request = new HttpRequestMessage(method, new Uri(_baseUrl + path, UriKind.Absolute))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.UserAgent.ParseAdd(UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body.Bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(body.ContentType);
        }

        return request;
    }

    /// <summary>A string body is sent as it is (JSON text, or YAML for apply); anything else is serialized.</summary>
    private static byte[] PatchBytes(V1Patch patch) => patch.Content switch
    {
        string text => System.Text.Encoding.UTF8.GetBytes(text),
        null => throw new ArgumentException("the patch has no content.", nameof(patch)),
        var content => JsonSerializer.SerializeToUtf8Bytes(content, KubeJson.Options),
    };

    private static Body JsonBody<TValue>(TValue value) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, KubeJson.Options), "application/json");

    private static string Version()
    {
        var version = typeof(KubernetesClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    private sealed record Body(byte[] Bytes, string ContentType);
}
