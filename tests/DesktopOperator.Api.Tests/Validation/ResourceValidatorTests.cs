using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Api.Validation;
using k8s;
using k8s.Models;

namespace DesktopOperator.Api.Tests.Validation;

public sealed class ResourceValidatorTests
{
    [Fact]
    public void Validate_Pool_UsesThePoolRules()
    {
        var pool = Pools.Static();
        pool.Spec.Capacity.MinHosts = 2;
        pool.Spec.Capacity.MaxHosts = 1;
        Assert.Equal(["spec.capacity.maxHosts: must be >= minHosts (2)"], ResourceValidator.Validate(pool).Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_Route_UsesTheRouteRules()
    {
        var route = new SessionRoute { Metadata = { Name = "r" }, Spec = new SessionRouteSpec { Pool = "p" } };
        Assert.Equal(["spec.user: required"], ResourceValidator.Validate(route).Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_OtherKind_Throws()
    {
        Assert.Throws<ArgumentException>(() => ResourceValidator.Validate(new V1Pod()));
    }
}
