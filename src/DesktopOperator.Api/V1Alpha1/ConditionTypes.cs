namespace DesktopOperator.Api.V1Alpha1;

/// <summary>Condition types of our resources (metav1.Condition <c>type</c>).</summary>
public static class ConditionTypes
{
    /// <summary>The pool has at least one ready host with free slots, or the route is bound to a ready host.</summary>
    public const string Ready = "Ready";

    /// <summary>Something needs attention: an invalid spec, failed hosts, a host that cannot be created.</summary>
    public const string Degraded = "Degraded";

    /// <summary>The pool wants more hosts than maxHosts allows.</summary>
    public const string ScalingLimited = "ScalingLimited";

    /// <summary>Hosts are being added, removed or replaced (scaling, rolling template update).</summary>
    public const string Progressing = "Progressing";

    /// <summary>Every TCP gateway port of the pool is on the gateway's Service (operator flag --gateway-service).</summary>
    public const string GatewayPorts = "GatewayPorts";
}
