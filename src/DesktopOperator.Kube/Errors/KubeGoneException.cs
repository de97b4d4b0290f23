using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>410 Gone / Expired: the resourceVersion is too old (a list with resourceVersionMatch=Exact, or the watch ERROR event). Relist.</summary>
public sealed class KubeGoneException : KubeApiException
{
    public KubeGoneException(int statusCode, V1Status? status, string? message = null, Exception? innerException = null)
        : base(statusCode, status, message, innerException)
    {
    }

    public KubeGoneException()
    {
    }

    public KubeGoneException(string message)
        : base(message)
    {
    }

    public KubeGoneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
