namespace DesktopOperator.Gateway.Pages;

/// <summary>
/// The status page (pools, hosts, health, sessions, draining, problems; refreshed every 2 s from <c>api/status</c>):
/// one self-contained HTML file embedded in the assembly, read once.
/// </summary>
internal static class StatusPage
{
    public const string ContentType = "text/html; charset=utf-8";

    private static readonly Lazy<string> Content = new(() =>
    {
        using var stream = typeof(StatusPage).Assembly.GetManifestResourceStream("DesktopOperator.Gateway.Pages.status.html")
            ?? throw new InvalidOperationException("the status page is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string Html => Content.Value;
}
