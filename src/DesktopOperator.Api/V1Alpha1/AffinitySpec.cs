using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>How a returning user finds their host again.</summary>
public sealed class AffinitySpec
{
    /// <summary>User (the identity the protocol carries, else the source address) or SourceIP.</summary>
    public AffinityKey Key { get; set; } = AffinityKey.User;

    /// <summary>How long a disconnected user's route keeps its host before it expires.</summary>
    [Duration]
    [Length(1, 32)]
    public string ResumeFor { get; set; } = "8h";

    /// <summary>For Http: the request header an authenticating proxy puts the user name in.</summary>
    [Length(1, 128)]
    [Pattern(Patterns.HttpToken, "an HTTP header name")]
    public string UserHeader { get; set; } = "X-Forwarded-User";

    /// <summary>For Http: a cookie holding the user name, read when the header is absent.</summary>
    [Length(1, 128)]
    [Pattern(Patterns.HttpToken, "a cookie name")]
    public string? UserCookie { get; set; }
}
