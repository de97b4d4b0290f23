namespace DesktopOperator.Controllers.Pools;

/// <summary>One decision about one host, with the reason that goes into its event and metric.</summary>
internal readonly record struct HostAction(string Host, string Reason);
