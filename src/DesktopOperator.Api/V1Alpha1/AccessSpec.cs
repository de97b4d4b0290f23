using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>
/// Allow-lists checked by the gateway for every new session. A user is allowed when both lists are empty, or when
/// they are in users, or in one of groups (groups come from the front end, e.g. an auth-proxy header).
/// </summary>
public sealed class AccessSpec
{
    /// <summary>User names allowed to use the pool.</summary>
    [Items(0, 1000)]
    [ListSet]
    public IList<string>? Users { get; set; }

    /// <summary>Groups whose members may use the pool.</summary>
    [Items(0, 1000)]
    [ListSet]
    public IList<string>? Groups { get; set; }
}
