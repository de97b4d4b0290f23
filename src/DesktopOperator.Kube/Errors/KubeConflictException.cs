using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>409 Conflict: a stale resourceVersion, a failed precondition or a server-side apply field conflict. Retry by requeue, never in a loop.</summary>
public sealed class KubeConflictException : KubeApiException
{
    public KubeConflictException(int statusCode, V1Status? status, string? message = null, Exception? innerException = null)
        : base(statusCode, status, message, innerException)
    {
    }

    public KubeConflictException()
    {
    }

    public KubeConflictException(string message)
        : base(message)
    {
    }

    public KubeConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
