using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// One served resource (group/version/plural). <see cref="StorageKey"/> names the storage it lives in, so two views
/// of one kind (core/v1 and events.k8s.io/v1 Events) share objects.
/// </summary>
internal sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    bool HasStatus,
    bool IsCustom,
    JsonNode? Schema = null,
    IReadOnlyList<string>? ShortNames = null,
    string? Storage = null)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public string ListKind => Kind + "List";

    public string StorageKey => Storage ?? (Group.Length == 0 ? Plural : $"{Plural}.{Group}");

    /// <summary>Kinds that a real server lets PUT without a resourceVersion (built-ins); CRs demand one.</summary>
    public bool AllowsUnconditionalUpdate => !IsCustom;

    /// <summary>Whether metadata.generation is kept: custom resources and CRDs (built-ins we serve have none in 1.24).</summary>
    public bool TracksGeneration => IsCustom || Plural is "customresourcedefinitions" or "poddisruptionbudgets";
}
