namespace DesktopOperator.Api.Crds;

/// <summary>A generated file: its path relative to the folder it belongs in, and its exact content.</summary>
internal sealed record GeneratedFile(string RelativePath, string Content);
