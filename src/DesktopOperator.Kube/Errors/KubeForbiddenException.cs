using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>403 Forbidden: RBAC or admission (e.g. a namespace being terminated) refused the request.</summary>
public sealed class KubeForbiddenException : KubeApiException
{
    public KubeForbiddenException(int statusCode, V1Status? status, string? message = null, Exception? innerException = null)
        : base(statusCode, status, message, innerException)
    {
    }

    public KubeForbiddenException()
    {
    }

    public KubeForbiddenException(string message)
        : base(message)
    {
    }

    public KubeForbiddenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
