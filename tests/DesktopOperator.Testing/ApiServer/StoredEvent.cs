using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>One committed change. <see cref="Previous"/> lets a selector-filtered watch turn a change into ADDED/DELETED.</summary>
internal sealed record StoredEvent(long Rv, string Type, string StorageKey, string Key, JsonObject Object, JsonObject? Previous);
