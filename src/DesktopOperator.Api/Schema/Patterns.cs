namespace DesktopOperator.Api.Schema;

/// <summary>Patterns shared by the schema and the C# rules (RE2 and .NET agree on this subset).</summary>
public static class Patterns
{
    /// <summary>A DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric (max 63).</summary>
    public const string Dns1123Label = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>A DNS-1123 subdomain: dot-separated DNS-1123 labels (max 253), the form of most object names.</summary>
    public const string Dns1123Subdomain = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A host name (RFC 1123, any case), an IPv4 address, or an IPv6 address without brackets.</summary>
    public const string HostAddress =
        "^([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)$";

    /// <summary>An absolute URL path prefix without query or fragment.</summary>
    public const string UrlPath = "^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$";

    /// <summary>An HTTP header or cookie name (a subset of the RFC 9110 token).</summary>
    public const string HttpToken = "^[A-Za-z0-9][A-Za-z0-9_.-]*$";
}
