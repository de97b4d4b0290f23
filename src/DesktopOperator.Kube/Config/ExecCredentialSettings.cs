namespace DesktopOperator.Kube.Config;

/// <summary>
/// A kubeconfig <c>users[].user.exec</c> credential plugin (<c>client.authentication.k8s.io/v1</c> or
/// <c>v1beta1</c>): the command prints an <c>ExecCredential</c> whose status carries a token or a client
/// certificate, and optionally when it expires.
/// </summary>
public sealed record ExecCredentialSettings
{
    public required string ApiVersion { get; init; }

    /// <summary>An absolute path, a name looked up in PATH, or a path relative to <see cref="WorkingDirectory"/>.</summary>
    public required string Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Added to the inherited environment.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>The kubeconfig's folder: relative commands resolve against it (as in client-go).</summary>
    public string? WorkingDirectory { get; init; }

    public string? InstallHint { get; init; }

    /// <summary>kubeconfig <c>provideClusterInfo</c>: <see cref="Cluster"/> is then passed to the plugin.</summary>
    public bool ProvideClusterInfo { get; init; }

    /// <summary>The context's cluster, set by the loader when <see cref="ProvideClusterInfo"/> is true.</summary>
    public ExecClusterInfo? Cluster { get; init; }

    /// <summary>How long the plugin may run before it is killed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
