using DesktopOperator.Api.Durations;
using DesktopOperator.Api.V1Alpha1;

namespace DesktopOperator.Api.Validation;

/// <summary>
/// Every rule of the DesktopPool schema and its CEL rules, in C#: for the operator's Degraded/InvalidSpec condition
/// and for standalone mode, which has no API server to enforce the schema. Returns all violations, in field order.
/// Run it on an object with defaults applied (the C# initializers apply them when deserializing).
/// </summary>
public static class DesktopPoolValidator
{
    public static IReadOnlyList<ValidationError> Validate(DesktopPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var errors = new List<ValidationError>();
        MetadataRules.Validate(pool.Metadata, errors);
        if (pool.Spec is not { } spec)
        {
            errors.Add(new("spec", "required"));
            return errors;
        }

        FieldRules.Validate(spec, "spec", errors);
        ValidateHostSource(spec, errors);
        ValidateProtocols(spec.Protocols, errors);
        ValidateCapacity(spec.Capacity, errors);
        ValidateHealthCheck(spec, errors);
        return errors;
    }

    private static void ValidateHostSource(DesktopPoolSpec spec, List<ValidationError> errors)
    {
        if ((spec.Template is null) == (spec.StaticHosts is null))
        {
            errors.Add(new("spec", spec.Template is null
                ? "exactly one of template or staticHosts must be set (neither is)"
                : "exactly one of template or staticHosts must be set (both are)"));
        }
    }

    private static void ValidateProtocols(IList<ProtocolSpec>? protocols, List<ValidationError> errors)
    {
        if (protocols is null)
        {
            return;
        }

        var gatewayPorts = new Dictionary<int, string>();
        for (var i = 0; i < protocols.Count; i++)
        {
            if (protocols[i] is not { } protocol)
            {
                continue;
            }

            var field = $"spec.protocols[{i}]";
            var isHttp = protocol.Kind == ProtocolKind.Http;
            if (isHttp)
            {
                if (protocol.GatewayPort is not null)
                {
                    errors.Add(new($"{field}.gatewayPort", "gatewayPort is not allowed for kind Http (it is served on the gateway's HTTP listener)"));
                }

                if (protocol.Path is null && protocol.Hostname is null)
                {
                    errors.Add(new(field, "kind Http needs a path or a hostname"));
                }

                if (protocol.ProxyProtocol != ProxyProtocolMode.None)
                {
                    errors.Add(new($"{field}.proxyProtocol", "proxyProtocol is allowed for TCP kinds only"));
                }
            }
            else
            {
                if (protocol.GatewayPort is null)
                {
                    errors.Add(new($"{field}.gatewayPort", $"gatewayPort is required for kind {protocol.Kind}"));
                }

                if (protocol.Path is not null || protocol.Hostname is not null)
                {
                    errors.Add(new(field, $"path and hostname are allowed for kind Http only (kind is {protocol.Kind})"));
                }
            }

            if (protocol.ClientLockout is not null && protocol.Kind != ProtocolKind.Vnc)
            {
                errors.Add(new($"{field}.clientLockout", $"clientLockout is allowed for kind Vnc only (kind is {protocol.Kind})"));
            }

            if (protocol.GatewayPort is { } port && !gatewayPorts.TryAdd(port, protocol.Name))
            {
                errors.Add(new($"{field}.gatewayPort", $"gateway port {port} is already used by protocol '{gatewayPorts[port]}'"));
            }
        }
    }

    private static void ValidateCapacity(CapacitySpec? capacity, List<ValidationError> errors)
    {
        if (capacity is not null && capacity.MinHosts > capacity.MaxHosts)
        {
            errors.Add(new("spec.capacity.maxHosts", $"must be >= minHosts ({capacity.MinHosts})"));
        }
    }

    private static void ValidateHealthCheck(DesktopPoolSpec spec, List<ValidationError> errors)
    {
        if (spec.HealthCheck is not { } check)
        {
            return;
        }

        if (check.Protocol is { } name && spec.Protocols?.Any(p => p?.Name == name) != true)
        {
            errors.Add(new("spec.healthCheck.protocol", $"'{name}' must name one of spec.protocols"));
        }

        if (Duration.TryParse(check.Timeout, out var timeout) && Duration.TryParse(check.Interval, out var interval) &&
            timeout > interval)
        {
            errors.Add(new("spec.healthCheck.timeout", $"must not exceed interval ({check.Interval})"));
        }

        ValidateVncHealthCheck(spec, check, errors);
    }

    private static void ValidateVncHealthCheck(DesktopPoolSpec spec, HealthCheckSpec check, List<ValidationError> errors)
    {
        if (check.Vnc is { } vnc)
        {
            if (vnc.Security == VncSecurity.VncAuth && vnc.PasswordFile is null)
            {
                errors.Add(new("spec.healthCheck.vnc.passwordFile", "security VncAuth needs passwordFile"));
            }

            if (vnc.Security == VncSecurity.None && vnc.PasswordFile is not null)
            {
                errors.Add(new("spec.healthCheck.vnc.passwordFile", "passwordFile is allowed with security VncAuth only"));
            }
        }

        var checkedProtocol = check.Protocol is { } name
            ? spec.Protocols?.FirstOrDefault(p => p?.Name == name)
            : spec.Protocols?.FirstOrDefault();
        if (check.Kind == HealthCheckKind.Protocol && checkedProtocol?.Kind == ProtocolKind.Vnc && check.Vnc is null)
        {
            errors.Add(new("spec.healthCheck.vnc", "required for a Protocol check of a Vnc protocol: a check that hangs up before "
                + "authentication counts as a failed login on the server (TigerVNC blacklists the gateway's address after 5); "
                + "declare security None, or VncAuth with passwordFile, or use kind Tcp (connect, then reset)"));
        }
    }
}
