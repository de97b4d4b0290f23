namespace DesktopOperator.Kube.Tests.Support;

/// <summary>What a <see cref="FakeApiServer"/> received.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Path,
    string QueryString,
    string? ContentType,
    string Body,
    string? Authorization,
    string? UserAgent,
    string? Accept,
    string? Host = null)
{
    public string PathAndQuery => Path + QueryString;
}
