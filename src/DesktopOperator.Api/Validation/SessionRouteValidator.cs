using DesktopOperator.Api.V1Alpha1;

namespace DesktopOperator.Api.Validation;

/// <summary>The SessionRoute schema and CEL rules in C#, plus the checks that need the route's pool.</summary>
public static class SessionRouteValidator
{
    public static IReadOnlyList<ValidationError> Validate(SessionRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var errors = new List<ValidationError>();
        MetadataRules.Validate(route.Metadata, errors);
        if (route.Spec is null)
        {
            errors.Add(new("spec", "required"));
            return errors;
        }

        FieldRules.Validate(route.Spec, "spec", errors);
        return errors;
    }

    /// <summary>The transition rules: <c>spec.pool</c> and <c>spec.user</c> never change.</summary>
    public static IReadOnlyList<ValidationError> ValidateUpdate(SessionRoute oldRoute, SessionRoute newRoute)
    {
        ArgumentNullException.ThrowIfNull(oldRoute);
        ArgumentNullException.ThrowIfNull(newRoute);
        var errors = Validate(newRoute).ToList();
        if (oldRoute.Spec.Pool != newRoute.Spec.Pool)
        {
            errors.Add(new("spec.pool", $"pool is immutable (was '{oldRoute.Spec.Pool}')"));
        }

        if (oldRoute.Spec.User != newRoute.Spec.User)
        {
            errors.Add(new("spec.user", $"user is immutable (was '{oldRoute.Spec.User}')"));
        }

        return errors;
    }

    /// <summary>
    /// Checks the route against its pool (which the schema cannot see): the protocol must be one of the pool's, and a
    /// pinned host of a static pool must be one of its hosts. Template hosts come and go, so they are not checked here.
    /// </summary>
    public static IReadOnlyList<ValidationError> ValidateAgainstPool(SessionRoute route, DesktopPool pool)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(pool);
        var errors = new List<ValidationError>();
        if (route.Spec.Pool != pool.Metadata.Name)
        {
            errors.Add(new("spec.pool", $"'{route.Spec.Pool}' is not the pool '{pool.Metadata.Name}'"));
        }

        if (route.Spec.Protocol is { } protocol && !pool.Spec.Protocols.Any(p => p.Name == protocol))
        {
            errors.Add(new("spec.protocol", $"'{protocol}' is not a protocol of pool '{pool.Metadata.Name}'"));
        }

        if (route.Spec.Host is { } host && pool.Spec.StaticHosts is { } hosts && !hosts.Any(h => h.Name == host))
        {
            errors.Add(new("spec.host", $"'{host}' is not a host of pool '{pool.Metadata.Name}'"));
        }

        return errors;
    }
}
