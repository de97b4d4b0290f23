using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>A non-success answer from the API server, with its <see cref="V1Status"/> when it sent one.</summary>
public class KubeApiException : Exception
{
    public KubeApiException(int statusCode, V1Status? status, string? message = null, Exception? innerException = null)
        : base(message ?? status?.Message ?? $"the API server answered {statusCode}", innerException)
    {
        StatusCode = statusCode;
        Status = status;
    }

    public KubeApiException()
        : this(0, null)
    {
    }

    public KubeApiException(string message)
        : this(0, null, message)
    {
    }

    public KubeApiException(string message, Exception innerException)
        : this(0, null, message, innerException)
    {
    }

    /// <summary>The HTTP status code (for a watch ERROR event, the code inside its Status).</summary>
    public int StatusCode { get; }

    public V1Status? Status { get; }

    /// <summary>The Status reason (NotFound, Conflict, Invalid, Expired, …), or empty.</summary>
    public string Reason => Status?.Reason ?? "";
}
