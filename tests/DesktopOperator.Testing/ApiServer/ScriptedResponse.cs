namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// An answer <see cref="FaultInjection.RespondNext"/> gives instead of handling a request: e.g. a Status body recorded
/// from a real kube-apiserver, its plain-text 404, or an empty 503 of a proxy in front of it. Sent as written.
/// </summary>
/// <param name="ContentType">Null: no <c>Content-Type</c> header (an empty body).</param>
public sealed record ScriptedResponse(int StatusCode, string Body = "", string? ContentType = "application/json")
{
    /// <summary>Headers to add, e.g. <c>Retry-After</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
