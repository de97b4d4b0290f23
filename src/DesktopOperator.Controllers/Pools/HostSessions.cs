namespace DesktopOperator.Controllers.Pools;

/// <summary>Routes bound to one host, and how many of them are Active or Disconnected.</summary>
internal readonly record struct HostSessions(int Bound, int Active, int Disconnected);
