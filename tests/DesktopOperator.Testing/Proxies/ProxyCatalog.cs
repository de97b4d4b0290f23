namespace DesktopOperator.Testing.Proxies;

/// <summary>Proxies under test by name, for command lines: haproxy, socat, gateway (a suffix such as "haproxy-b" names a second instance).</summary>
public static class ProxyCatalog
{
    public static IProxyUnderTest Create(string name)
    {
        var kind = name.Split('-', 2)[0];
        return kind switch
        {
            "haproxy" => new HaproxyProxy(name),
            "socat" => new SocatProxy(name),
            "gateway" => new GatewayProxy(name),
            _ => throw new ArgumentException($"unknown proxy '{name}' (haproxy, socat, gateway)", nameof(name)),
        };
    }
}
