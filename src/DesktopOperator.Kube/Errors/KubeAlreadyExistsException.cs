using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>409 AlreadyExists: a create named an object that exists.</summary>
public sealed class KubeAlreadyExistsException : KubeApiException
{
    public KubeAlreadyExistsException(int statusCode, V1Status? status, string? message = null, Exception? innerException = null)
        : base(statusCode, status, message, innerException)
    {
    }

    public KubeAlreadyExistsException()
    {
    }

    public KubeAlreadyExistsException(string message)
        : base(message)
    {
    }

    public KubeAlreadyExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
