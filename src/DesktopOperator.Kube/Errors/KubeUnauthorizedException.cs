using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>401 Unauthorized: the credentials were rejected (after one refresh for exec and token-file credentials).</summary>
public sealed class KubeUnauthorizedException : KubeApiException
{
    public KubeUnauthorizedException(int statusCode, V1Status? status, string? message = null, Exception? innerException = null)
        : base(statusCode, status, message, innerException)
    {
    }

    public KubeUnauthorizedException()
    {
    }

    public KubeUnauthorizedException(string message)
        : base(message)
    {
    }

    public KubeUnauthorizedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
