namespace DesktopOperator.Gateway.Http;

/// <summary>The affinity cookie keys in force now; asked on every request, so a rotation takes effect without a restart.</summary>
internal interface IAffinityCookieKeySource
{
    AffinityCookieKeys Current { get; }
}
