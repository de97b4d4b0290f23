namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// An answer <see cref="FaultInjection.RespondNext"/> gives instead of handling a request: e.g. a Status body recorded
/// from a real kube-apiserver, its plain-text 404, an empty 503 of a proxy in front of it (sent as written), a reset
/// connection or no answer at all.
/// </summary>
/// <param name="ContentType">Null: no <c>Content-Type</c> header (an empty body).</param>
public sealed record ScriptedResponse(int StatusCode, string Body = "", string? ContentType = "application/json")
{
    /// <summary>A reset connection instead of an answer.</summary>
    public static ScriptedResponse ConnectionReset { get; } = new(0) { Behavior = ScriptedBehavior.ResetConnection };

    /// <summary>No answer at all, until the client gives up.</summary>
    public static ScriptedResponse NoAnswer { get; } = new(0) { Behavior = ScriptedBehavior.NeverAnswer };

    /// <summary>Headers to add, e.g. <c>Retry-After</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public ScriptedBehavior Behavior { get; init; }
}
