namespace DesktopOperator.Gateway.Health;

/// <summary>A host to check: which pool it serves, where its protocol listens, and how to check it.</summary>
internal sealed record HealthTarget(string Pool, string Host, string Address, int Port, HealthCheckSettings Settings);
