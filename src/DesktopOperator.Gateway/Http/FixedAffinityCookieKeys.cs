namespace DesktopOperator.Gateway.Http;

/// <summary>Cookie keys that never change (tests, callers that hold keys in memory); made at first use.</summary>
internal sealed class FixedAffinityCookieKeys(Func<AffinityCookieKeys> create) : IAffinityCookieKeySource
{
    private readonly Lazy<AffinityCookieKeys> _keys = new(create);

    public AffinityCookieKeys Current => _keys.Value;
}
