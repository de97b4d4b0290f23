namespace DesktopOperator.Gateway.Pages;

/// <summary>
/// The pages: self-contained HTML files embedded in the assembly, each read once. The status page shows pools,
/// hosts, health, sessions, draining and problems, refreshed every 2 s from <c>api/status</c>; the picker lists a
/// pool's hosts from <c>api/picker</c>.
/// </summary>
internal static class EmbeddedPage
{
    public const string ContentType = "text/html; charset=utf-8";

    private static readonly Lazy<string> StatusContent = new(() => Read("status.html"));
    private static readonly Lazy<string> PickerContent = new(() => Read("picker.html"));

    public static string Status => StatusContent.Value;

    public static string Picker => PickerContent.Value;

    private static string Read(string file)
    {
        using var stream = typeof(EmbeddedPage).Assembly.GetManifestResourceStream($"DesktopOperator.Gateway.Pages.{file}")
            ?? throw new InvalidOperationException($"the page {file} is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
