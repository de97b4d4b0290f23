using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>429 TooManyRequests (API priority and fairness, or an eviction blocked by a budget).</summary>
public sealed class KubeTooManyRequestsException : KubeApiException
{
    public KubeTooManyRequestsException(int statusCode, V1Status? status, TimeSpan? retryAfter, string? message = null, Exception? innerException = null)
        : base(statusCode, status, message, innerException) => RetryAfter = retryAfter;

    public KubeTooManyRequestsException()
    {
    }

    public KubeTooManyRequestsException(string message)
        : base(message)
    {
    }

    public KubeTooManyRequestsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>From the <c>Retry-After</c> header, else <c>details.retryAfterSeconds</c>; null when neither was sent.</summary>
    public TimeSpan? RetryAfter { get; }
}
