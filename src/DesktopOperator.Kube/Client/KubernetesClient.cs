using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using DesktopOperator.Kube.Auth;
using DesktopOperator.Kube.Config;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>
/// <see cref="IKubernetesClient"/> over HTTP/1.1 (a watch holds one connection). Thread-safe; one instance per
/// process and API server. Requests carry <c>User-Agent: desktop-operator/&lt;version&gt;</c>, which the API
/// server also records as the field manager of updates.
/// </summary>
public sealed partial class KubernetesClient : IKubernetesClient, IDisposable
{
    public static string UserAgent { get; } = "desktop-operator/" + Version();

    private readonly HttpMessageInvoker _http;
    private readonly ICredentialProvider _credentials;
    private readonly KubeRequestSender _sender;
    private readonly ILogger _logger;
    private readonly string _baseUrl;

    public KubernetesClient(KubeClientSettings config, ILogger<KubernetesClient>? logger = null, TimeProvider? timeProvider = null, KubeRetryPolicy? retryPolicy = null)
        : this(config, logger, timeProvider, retryPolicy, handler: null, delay: null, random: null)
    {
    }

    /// <summary>Test seam: the handler, the retry wait and the jitter source can be replaced.</summary>
    internal KubernetesClient(
        KubeClientSettings config,
        ILogger? logger,
        TimeProvider? timeProvider,
        KubeRetryPolicy? retryPolicy,
        HttpMessageHandler? handler,
        Func<TimeSpan, CancellationToken, Task>? delay,
        Func<double>? random)
    {
        ArgumentNullException.ThrowIfNull(config);
        var time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        Configuration = config;
        BaseUri = config.Host;

        // Keeps a path prefix of the server URL (e.g. a proxy's https://host/k8s/clusters/c1).
        _baseUrl = config.Host.AbsoluteUri.TrimEnd('/');
        _credentials = CredentialProviders.Create(config, time, _logger);
        _http = new HttpMessageInvoker(handler ?? KubeHttpHandler.Create(config, _credentials), disposeHandler: true);
        _sender = new KubeRequestSender(
            _http,
            _credentials,
            retryPolicy ?? KubeRetryPolicy.Default,
            config.RequestTimeout,
            time,
            delay ?? ((wait, token) => Task.Delay(wait, time, token)),
            random ?? Random.Shared.NextDouble,
            _logger);
    }

    public KubeClientSettings Configuration { get; }

    public Uri BaseUri { get; }

    public async Task<T> GetAsync<T>(string name, string? namespaceName, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var path = ResourceUrl.Build(EntityInfo<T>.Entity, namespaceName, name, null, namespaceRequired: true);
        return await SendForObjectAsync<T>(HttpMethod.Get, path, null, RequestKind.Read, cancellationToken).ConfigureAwait(false);
    }

    public async Task<KubernetesList<T>> ListAsync<T>(string? namespaceName, ListOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var path = ResourceUrl.WithQuery(
            ResourceUrl.Build(EntityInfo<T>.Entity, namespaceName, null, null, namespaceRequired: false),
            KubeQuery.Of(options));
        return await SendForObjectAsync<KubernetesList<T>>(HttpMethod.Get, path, null, RequestKind.Read, cancellationToken).ConfigureAwait(false);
    }

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        EntityInfo<T>.Initialize(obj);
        var path = ResourceUrl.Build(EntityInfo<T>.Entity, obj.Metadata.NamespaceProperty, null, null, namespaceRequired: true);
        return SendForObjectAsync<T>(HttpMethod.Post, path, JsonBody(obj), RequestKind.Write, cancellationToken);
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
        return SendForObjectAsync<T>(HttpMethod.Patch, path, body, RequestKind.Write, cancellationToken);
    }

    public async Task<T?> DeleteAsync<T>(string name, string? namespaceName, DeleteOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var path = ResourceUrl.Build(EntityInfo<T>.Entity, namespaceName, name, null, namespaceRequired: true);
        var body = options is null ? null : JsonBody(KubeQuery.DeleteBody(options));
        using var response = await _sender.SendAsync(() => Request(HttpMethod.Delete, path, body), RequestKind.Write, cancellationToken).ConfigureAwait(false);
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
        _http.Dispose();
        (_credentials as IDisposable)?.Dispose();
    }

    private Task<T> PutAsync<T>(T obj, string? subresource, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        EntityInfo<T>.Initialize(obj);
        var path = ResourceUrl.Build(EntityInfo<T>.Entity, obj.Metadata.NamespaceProperty, obj.Metadata.Name ?? "", subresource, namespaceRequired: true);
        return SendForObjectAsync<T>(HttpMethod.Put, path, JsonBody(obj), RequestKind.Write, cancellationToken);
    }

    private async Task<TResult> SendForObjectAsync<TResult>(HttpMethod method, string path, Body? body, RequestKind kind, CancellationToken cancellationToken)
        where TResult : class
    {
        using var response = await _sender.SendAsync(() => Request(method, path, body), kind, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<TResult>(stream, KubeJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException($"{method} {path} answered JSON null.");
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path, Body? body)
    {
        var request = new HttpRequestMessage(method, new Uri(_baseUrl + path, UriKind.Absolute));
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
