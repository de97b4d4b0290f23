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

    /// <summary>An answer <paramref name="write"/> writes (see <see cref="Write"/>).</summary>
    public static ScriptedResponse WrittenBy(Func<Microsoft.AspNetCore.Http.HttpContext, Task> write) => new(200) { Write = write };

    /// <summary>
    /// When set, the test writes the answer itself instead (status, headers, body): for byte-level streams — chunk
    /// boundaries inside a watch event, a stream held open, a connection dropped mid-event — that no API server would
    /// be asked to produce on cue.
    /// </summary>
    public Func<Microsoft.AspNetCore.Http.HttpContext, Task>? Write { get; init; }

    /// <summary>Headers to add, e.g. <c>Retry-After</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public ScriptedBehavior Behavior { get; init; }
}
