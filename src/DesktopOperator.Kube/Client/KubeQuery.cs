using System.Globalization;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>Query strings, patch content types and the DeleteOptions body for each verb's options.</summary>
internal static class KubeQuery
{
    public static IEnumerable<KeyValuePair<string, string?>> Of(ListOptions? options) =>
    [
        new("labelSelector", options?.LabelSelector),
        new("fieldSelector", options?.FieldSelector),
        new("limit", options?.Limit?.ToString(CultureInfo.InvariantCulture)),
        new("continue", options?.Continue),
        new("resourceVersion", options?.ResourceVersion),
        new("resourceVersionMatch", options?.ResourceVersionMatch),
    ];

    public static IEnumerable<KeyValuePair<string, string?>> Of(WatchOptions options) =>
    [
        new("watch", "1"),
        new("labelSelector", options.LabelSelector),
        new("fieldSelector", options.FieldSelector),
        new("resourceVersion", options.ResourceVersion),
        new("allowWatchBookmarks", options.AllowBookmarks ? "true" : null),
        new("timeoutSeconds", options.TimeoutSeconds?.ToString(CultureInfo.InvariantCulture)),
    ];

    public static IEnumerable<KeyValuePair<string, string?>> Of(PatchOptions? options) =>
    [
        new("fieldManager", options?.FieldManager),
        new("force", options?.Force switch { true => "true", false => "false", null => null }),
    ];

    public static string ContentType(V1Patch.PatchType type) => type switch
    {
        V1Patch.PatchType.MergePatch => "application/merge-patch+json",
        V1Patch.PatchType.JsonPatch => "application/json-patch+json",
        V1Patch.PatchType.ApplyPatch => "application/apply-patch+yaml",
        V1Patch.PatchType.StrategicMergePatch => "application/strategic-merge-patch+json",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown patch type"),
    };

    /// <summary>The <c>meta/v1 DeleteOptions</c> body (preconditions make the delete conditional: 409 on mismatch).</summary>
    public static DeleteOptionsBody DeleteBody(DeleteOptions options) => new()
    {
        PropagationPolicy = options.PropagationPolicy,
        GracePeriodSeconds = options.GracePeriodSeconds,
        Preconditions = options.PreconditionUid is null && options.PreconditionResourceVersion is null
            ? null
            : new DeleteOptionsBody.PreconditionsBody { Uid = options.PreconditionUid, ResourceVersion = options.PreconditionResourceVersion },
    };

    internal sealed class DeleteOptionsBody
    {
        public string ApiVersion { get; } = "v1";

        public string Kind { get; } = "DeleteOptions";

        public string? PropagationPolicy { get; init; }

        public long? GracePeriodSeconds { get; init; }

        public PreconditionsBody? Preconditions { get; init; }

        internal sealed class PreconditionsBody
        {
            public string? Uid { get; init; }

            public string? ResourceVersion { get; init; }
        }
    }
}
