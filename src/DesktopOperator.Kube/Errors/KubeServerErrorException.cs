using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>5xx: the server failed (InternalError, ServiceUnavailable, Timeout, ...). A write that got this may or may not have been applied.</summary>
public sealed class KubeServerErrorException : KubeApiException
{
    public KubeServerErrorException(int statusCode, V1Status? status, string? message = null, Exception? innerException = null)
        : base(statusCode, status, message, innerException)
    {
    }

    public KubeServerErrorException()
    {
    }

    public KubeServerErrorException(string message)
        : base(message)
    {
    }

    public KubeServerErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
