using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>400 BadRequest: malformed request (invalid selector, body/path mismatch, bad MicroTime format, ...).</summary>
public sealed class KubeBadRequestException : KubeApiException
{
    public KubeBadRequestException(int statusCode, V1Status? status, string? message = null, Exception? innerException = null)
        : base(statusCode, status, message, innerException)
    {
    }

    public KubeBadRequestException()
    {
    }

    public KubeBadRequestException(string message)
        : base(message)
    {
    }

    public KubeBadRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
