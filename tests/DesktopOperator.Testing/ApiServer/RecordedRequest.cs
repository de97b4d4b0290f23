namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// One request a <see cref="TestApiServer"/> served or answered from a script (<see cref="FaultInjection.RespondNext"/>);
/// failure rules and outages answer before this point, so a request they refused is not recorded.
/// <see cref="Finished"/> turns true when the server is done with it: for a watch, when the stream ends.
/// </summary>
public sealed class RecordedRequest(string method, string path, string query, string? authorization)
{
    private volatile bool _finished;

    public string Method { get; } = method;

    /// <summary>The path without the query, e.g. <c>/apis/example.test/v1/namespaces/n1/widgets</c>.</summary>
    public string Path { get; } = path;

    /// <summary>The query string with its leading <c>?</c>, or empty.</summary>
    public string Query { get; } = query;

    /// <summary>The <c>Authorization</c> header as sent, or null.</summary>
    public string? Authorization { get; } = authorization;

    /// <summary>
    /// Who the server took the sender for: a client certificate's CN, <see cref="TestApiServer.TokenUser"/> for the
    /// bearer token (or for anyone when no authentication is configured), <c>system:anonymous</c>; null when refused.
    /// </summary>
    public string? User { get; internal set; }

    /// <summary>The <c>Host</c> header as sent (HTTP/2: the <c>:authority</c>), or null.</summary>
    public string? Host { get; init; }

    /// <summary>The request target exactly as sent (path and query, still escaped), e.g. <c>/api/v1/namespaces/n/events/a%20b</c>.</summary>
    public string? RawTarget { get; init; }

    public string? ContentType { get; init; }

    public string? UserAgent { get; init; }

    public string? Accept { get; init; }

    /// <summary>The body as UTF-8 text once the server read it (empty when there was none); null before.</summary>
    public string? Body { get; internal set; }

    /// <summary>Kestrel's id of the TCP connection the request came on (equal ids: one connection, reused).</summary>
    public string? ConnectionId { get; init; }

    /// <summary>A GET with <c>watch=true</c> (or <c>watch=1</c>).</summary>
    public bool IsWatch => Method == "GET" && (Query.Contains("watch=true", StringComparison.Ordinal) || Query.Contains("watch=1", StringComparison.Ordinal));

    /// <summary>A GET of a collection that is not a watch.</summary>
    public bool IsList(string collectionPath) => Method == "GET" && !IsWatch && Path == collectionPath;

    public bool Finished => _finished;

    internal void Finish() => _finished = true;
}
