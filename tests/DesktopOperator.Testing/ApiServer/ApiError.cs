using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>An API failure carrying the exact <c>Status</c> body (and HTTP code) the handler answers with.</summary>
internal sealed class ApiError : Exception
{
    public ApiError(int code, JsonObject status)
        : base(status["message"]?.GetValue<string>())
    {
        Code = code;
        Status = status;
    }

    public ApiError()
        : this(500, new JsonObject())
    {
    }

    public ApiError(string message)
        : this(500, StatusBodies.Failure(500, "InternalError", message, null))
    {
    }

    public ApiError(string message, Exception inner)
        : base(message, inner)
    {
        Code = 500;
        Status = StatusBodies.Failure(500, "InternalError", message, null);
    }

    public int Code { get; }

    public JsonObject Status { get; }

    /// <summary>Plain-text 404 the real server's mux answers for unknown groups and resources.</summary>
    public bool PlainTextNotFound { get; init; }

    public static ApiError PageNotFound() => new(404, []) { PlainTextNotFound = true };
}
