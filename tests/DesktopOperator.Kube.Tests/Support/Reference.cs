using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DesktopOperator.Kube.Tests.Support;

/// <summary>Bodies from the recorded API-server transcripts in /work/shared/kube-api-reference.</summary>
internal static class Reference
{
    private static readonly string Folder = FindFolder();

    /// <summary>The response body (as JSON text) of the first exchange in <paramref name="file"/> whose step contains <paramref name="stepContains"/>.</summary>
    public static string ResponseBody(string file, string stepContains) => Parseable(Exchange(file, stepContains)["response"]!["body"]!.ToJsonString(Relaxed));

    public static JsonNode Exchange(string file, string stepContains)
    {
        var entries = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, file)))!.AsArray();
        return entries.First(e => e!["step"]!.GetValue<string>().Contains(stepContains, StringComparison.Ordinal) && e["response"] is not null)!;
    }

    /// <summary>Every JSON object response body in <paramref name="file"/>, with "&lt;time&gt;" made parseable.</summary>
    public static IEnumerable<JsonNode> ResponseBodies(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, file)))!.AsArray()
            .Select(e => e!["response"]?["body"])
            .OfType<JsonObject>()
            .Select(b => JsonNode.Parse(Parseable(b.ToJsonString(Relaxed)))!);

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The recorded events as the server framed them, one JSON line each, with "&lt;time&gt;" made parseable.</summary>
    public static IReadOnlyList<string> WatchEventLines(string file, string stepContains) =>
        [.. Exchange(file, stepContains)["response"]!["events"]!.AsArray().Select(e => Parseable(e!.ToJsonString(Relaxed)))];

    /// <summary>Puts a real timestamp where the transcripts normalised one away.</summary>
    public static string Parseable(string json) => json.Replace("\"<time>\"", "\"2024-01-01T00:00:00Z\"", StringComparison.Ordinal);

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "kube-api-reference");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return "/work/shared/kube-api-reference";
    }
}
