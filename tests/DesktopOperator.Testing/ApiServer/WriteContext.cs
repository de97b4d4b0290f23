namespace DesktopOperator.Testing.ApiServer;

/// <summary>What a write request is about: resource, URL namespace/name/subresource, field manager, clock reading.</summary>
internal sealed record WriteContext(ResourceType Type, string? Namespace, string? Name, string? Subresource, string Manager, string Now, bool DryRun);
