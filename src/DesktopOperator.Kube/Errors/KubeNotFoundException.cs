using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>404 NotFound: the object (or the resource path) does not exist.</summary>
public sealed class KubeNotFoundException : KubeApiException
{
    public KubeNotFoundException(int statusCode, V1Status? status, string? message = null, Exception? innerException = null)
        : base(statusCode, status, message, innerException)
    {
    }

    public KubeNotFoundException()
    {
    }

    public KubeNotFoundException(string message)
        : base(message)
    {
    }

    public KubeNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
