namespace DesktopOperator.Kube.Client;

public enum PatchType
{
    /// <summary>application/merge-patch+json (RFC 7386).</summary>
    Merge,

    /// <summary>application/json-patch+json (RFC 6902).</summary>
    Json,

    /// <summary>application/apply-patch+yaml (server-side apply; JSON is valid YAML).</summary>
    Apply,

    /// <summary>application/strategic-merge-patch+json (built-in kinds only; 415 on custom resources).</summary>
    StrategicMerge,
}

/// <summary>A patch body (JSON text) and how the server must read it.</summary>
public sealed record KubernetesPatch(PatchType Type, string Body);
