namespace DesktopOperator.Kube.Config;

/// <summary>
/// A kubeconfig (or in-cluster setup, or exec credential plugin) that cannot be used. The message names the file,
/// the field as a path (<c>users[0].user.client-certificate</c>) and what is wrong with it.
/// </summary>
public sealed class KubeConfigException : Exception
{
    public KubeConfigException()
    {
    }

    public KubeConfigException(string message)
        : base(message)
    {
    }

    public KubeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubeConfigException(string? file, string? field, string problem, Exception? innerException = null)
        : base(Format(file, field, problem), innerException)
    {
        File = file;
        Field = field;
    }

    /// <summary>The kubeconfig file, when the problem is in one.</summary>
    public string? File { get; }

    /// <summary>The field path inside the file, e.g. <c>clusters[1].cluster.server</c>.</summary>
    public string? Field { get; }

    private static string Format(string? file, string? field, string problem) =>
        (file, field) switch
        {
            (not null, not null) => $"kubeconfig '{file}': {field}: {problem}",
            (not null, null) => $"kubeconfig '{file}': {problem}",
            (null, not null) => $"{field}: {problem}",
            _ => problem,
        };
}
