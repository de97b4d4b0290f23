namespace DesktopOperator.Testing.Fakes;

/// <summary>One call to <see cref="InMemoryKubernetesClient"/>, offered to its fault injector before it runs.</summary>
public sealed record FakeCall(string Verb, Type Type, string? Namespace, string? Name);
