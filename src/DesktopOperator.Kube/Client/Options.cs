namespace DesktopOperator.Kube.Client;

public sealed record ListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    public int? Limit { get; init; }

    public string? Continue { get; init; }

    public string? ResourceVersion { get; init; }

    /// <summary><c>Exact</c> or <c>NotOlderThan</c>; null leaves the server default.</summary>
    public string? ResourceVersionMatch { get; init; }
}

public sealed record WatchOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Start after this version; null or "0" starts with synthetic ADDED events for current objects.</summary>
    public string? ResourceVersion { get; init; }

    public bool AllowBookmarks { get; init; } = true;

    /// <summary>The server ends the stream cleanly after this long.</summary>
    public int? TimeoutSeconds { get; init; }
}

public sealed record PatchOptions
{
    public string? FieldManager { get; init; }

    /// <summary>Server-side apply only: take ownership of conflicting fields.</summary>
    public bool? Force { get; init; }
}

public sealed record DeleteOptions
{
    /// <summary><c>Background</c>, <c>Foreground</c> or <c>Orphan</c>.</summary>
    public string? PropagationPolicy { get; init; }

    public long? GracePeriodSeconds { get; init; }

    public string? PreconditionUid { get; init; }

    public string? PreconditionResourceVersion { get; init; }
}
