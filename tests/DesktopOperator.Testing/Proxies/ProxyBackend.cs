using System.Net;

namespace DesktopOperator.Testing.Proxies;

/// <summary>One host behind a proxy under test.</summary>
public sealed record ProxyBackend(string Name, IPEndPoint EndPoint);
