using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>422 Invalid: the object failed validation; <see cref="Causes"/> names each bad field.</summary>
public sealed class KubeInvalidException : KubeApiException
{
    public KubeInvalidException(int statusCode, V1Status? status, string? message = null, Exception? innerException = null)
        : base(statusCode, status, message, innerException)
    {
    }

    public KubeInvalidException()
    {
    }

    public KubeInvalidException(string message)
        : base(message)
    {
    }

    public KubeInvalidException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// One entry per invalid field (<c>field</c> such as <c>spec.replicas</c>, <c>reason</c> such as
    /// <c>FieldValueInvalid</c>); empty when the server gave none (e.g. a failed JSON patch <c>test</c>).
    /// </summary>
    public IReadOnlyList<V1StatusCause> Causes => Status?.Details?.Causes?.ToArray() ?? [];
}
