using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DesktopOperator.Testing.ApiServer;

namespace DesktopOperator.IntegrationTests.ApiServer;

/// <summary>
/// Replays one golden transcript against a fresh <see cref="TestApiServer"/> (GC off, the recorded namespaces and
/// Widget CRD set up first) and returns, per step, the differences from the recorded normalised responses.
/// Watches are opened at their position in the file (the recording lists them after the steps that ran while they
/// were open; from-RV watches replay those from history). Long waits run on a faster clock: watch timeouts are scaled
/// by 1/4 and the pre-deadline bookmark comes 0.5 s before the scaled deadline.
/// </summary>
internal sealed partial class TranscriptReplayer
{
    private const string Token = "golden-token";
    private const string UserAgent = "widget-operator/v0.1.0 (linux/amd64) golden-capture";
    private readonly string _file;
    private readonly JsonArray _entries;
    private readonly TranscriptMatcher _matcher = new();
    private readonly IReadOnlySet<string> _listed;
    private HttpClient? _anonymous;

    /// <param name="listed">The steps KNOWN-DIFFERENCES.md lists for this file: a step that waits for a controller
    /// gets a short bound when it is listed (it is expected to differ) and a patient one when it is not.</param>
    public TranscriptReplayer(string file, IReadOnlySet<string> listed)
    {
        _file = Path.GetFileNameWithoutExtension(file);
        _entries = JsonNode.Parse(File.ReadAllText(file))!.AsArray();
        _listed = listed;
    }

    public static string WidgetCrdPath => Path.Combine(AppContext.BaseDirectory, "ApiServer", "Transcripts", "02-crd-lifecycle.json");

    public static JsonObject WidgetCrd() => JsonNode.Parse(File.ReadAllText(WidgetCrdPath))![0]!["request"]!["body"]!.DeepClone().AsObject();

    public async Task<Dictionary<string, List<string>>> RunAsync(CancellationToken ct)
    {
        var prefix = _file[..2];
        var options = new TestApiServerOptions
        {
            GarbageCollection = false,
            NodeAndDisruptionControllers = false,
            CreateDefaultServiceAccounts = prefix != "11",
            BearerToken = Token,
            WatchTimeoutScale = 0.25,
            BookmarkBeforeTimeout = TimeSpan.FromSeconds(0.5),
        };
        if (prefix == "17")
        {
            WithControllers(options);
        }
        else
        {
            options.Namespaces.Add("s" + prefix);
        }

        if (prefix == "08")
        {
            options.Namespaces.Add("s08-other");
        }

        await using var server = new TestApiServer(options);
        await server.StartAsync(ct);
        if (prefix != "02")
        {
            server.RegisterCrd(WidgetCrd());
        }

        using var client = server.CreateClient(UserAgent);
        _anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        _anonymous.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        if (prefix == "08")
        {
            await SeedSelectorsAsync(client, ct);
        }

        var result = new Dictionary<string, List<string>>();
        foreach (var entry in _entries.OfType<JsonObject>())
        {
            var step = entry["step"]!.GetValue<string>();
            if (prefix == "17")
            {
                await SetUpUnrecordedAsync(client, step, ct);
            }

            if (entry["note"] is not null)
            {
                if (prefix == "09" && step == "compaction")
                {
                    for (var i = 0; i < 3; i++)
                    {
                        await SendAsync(client, "POST", "/apis/example.test/v1/namespaces/s09/widgets", "{\"apiVersion\":\"example.test/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"churn-" + i + "\"},\"spec\":{\"size\":\"small\"}}", ct);
                    }

                    server.CompactStorage();
                }

                continue;
            }

            var diffs = new List<string>();
            if (entry["response"]!["events"] is not null)
            {
                await WatchAsync(client, server, entry, diffs, ct);
            }
            else if (prefix == "17" && WaitsForControllers(step))
            {
                await ExchangeUntilMatchedAsync(client, server, entry, diffs, ct);
            }
            else
            {
                await ExchangeAsync(client, server, entry, diffs, ct);
            }

            result[step] = diffs;
        }

        _anonymous.Dispose();
        return result;
    }

    private async Task ExchangeAsync(HttpClient client, TestApiServer server, JsonObject entry, List<string> diffs, CancellationToken ct)
    {
        using var request = BuildRequest(entry, server);
        var anonymous = entry["step"]!.GetValue<string>().StartsWith("no credentials", StringComparison.Ordinal);
        using var response = await (anonymous ? _anonymous! : client).SendAsync(request, ct);
        var recorded = entry["response"]!.AsObject();
        var status = recorded["status"]!.GetValue<int>();
        if ((int)response.StatusCode != status)
        {
            diffs.Add($"status {(int)response.StatusCode}, expected {status}");
        }

        var recordedType = recorded["headers"]?["content-type"]?.GetValue<string>();
        var actualType = response.Content.Headers.ContentType?.ToString();
        if (recordedType != actualType)
        {
            diffs.Add($"content-type {actualType}, expected {recordedType}");
        }

        var text = await response.Content.ReadAsStringAsync(ct);
        var recordedBody = recorded["body"];
        if (recordedBody is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            if (!_matcher.MatchString(v.GetValue<string>(), text))
            {
                diffs.Add($"body \"{Cut(text)}\", expected \"{Cut(v.GetValue<string>())}\"");
            }

            return;
        }

        JsonNode? actual;
        try
        {
            actual = JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            diffs.Add($"body not JSON: {Cut(text)}");
            return;
        }

        _matcher.LearnUids(actual);
        _matcher.Compare(recordedBody, actual, "body", diffs);
    }

    private async Task WatchAsync(HttpClient client, TestApiServer server, JsonObject entry, List<string> diffs, CancellationToken ct)
    {
        var recorded = entry["response"]!.AsObject();
        var events = recorded["events"]!.AsArray();
        var serverEnds = recorded["stream_end"]?.GetValue<string>()?.StartsWith("server", StringComparison.Ordinal) == true;
        using var request = BuildRequest(entry, server);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(serverEnds ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(1.5));
        var received = new List<JsonNode?>();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            if ((int)response.StatusCode != recorded["status"]!.GetValue<int>())
            {
                diffs.Add($"status {(int)response.StatusCode}");
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
            var closedByClient = false;
            while (await reader.ReadLineAsync(cts.Token) is { } line)
            {
                if (!line.StartsWith('{'))
                {
                    diffs.Add($"watch line not JSON: {Cut(line)}");
                    break;
                }

                received.Add(JsonNode.Parse(line));
                if (!serverEnds && received.Count >= events.Count && events.Count > 0)
                {
                    closedByClient = true;
                    break;
                }
            }

            if (!serverEnds && !closedByClient)
            {
                diffs.Add("stream ended by the server, expected the client to close it");
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            if (serverEnds)
            {
                diffs.Add("stream did not end within the (scaled) timeout");
            }
        }

        _matcher.Compare(events, new JsonArray(received.Select(r => r?.DeepClone()).ToArray()), "events", diffs);
    }

    private HttpRequestMessage BuildRequest(JsonObject entry, TestApiServer server)
    {
        var req = entry["request"]!.AsObject();
        var step = entry["step"]!.GetValue<string>();
        var query = req["query"] as JsonObject ?? [];
        var qs = string.Join('&', query.Select(kv => $"{kv.Key}={Uri.EscapeDataString(Substitute(kv.Value!.GetValue<string>(), step, server))}"));
        var path = _matcher.Substitute(req["path"]!.GetValue<string>(), _ => "1");
        var message = new HttpRequestMessage(new HttpMethod(req["method"]!.GetValue<string>()), qs.Length == 0 ? path.TrimStart('/') : $"{path.TrimStart('/')}?{qs}");
        var headers = req["headers"] as JsonObject ?? [];
        var accept = headers["accept"]?.GetValue<string>() ?? "application/json";
        message.Headers.TryAddWithoutValidation("Accept", accept);
        if (step.StartsWith("invalid bearer token", StringComparison.Ordinal))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token");
        }

        if (req["body"] is { } body)
        {
            var text = body is JsonValue s && s.GetValueKind() == System.Text.Json.JsonValueKind.String ? s.GetValue<string>() : PythonJson.Write(SubstituteUids(body.DeepClone(), path));
            text = Substitute(text, step, server).Replace("\"<time>\"", "\"2024-01-01T00:00:00Z\"", StringComparison.Ordinal);
            message.Content = new StringContent(text, Encoding.UTF8);
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(headers["content-type"]?.GetValue<string>() ?? "application/json");
        }

        return message;
    }

    /// <summary>Unbound RVs are literals the capture sent: "far in the future" ones get a huge value, others "1".</summary>
    private string Substitute(string text, string step, TestApiServer server) =>
        _matcher.Substitute(text, _ => step.Contains("future", StringComparison.Ordinal) ? (server.CurrentResourceVersion + 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture) : "1");

    /// <summary>"&lt;uid&gt;" in a request becomes the uid of the object named beside it (or at the request path).</summary>
    private JsonNode SubstituteUids(JsonNode node, string path)
    {
        if (node is JsonObject o)
        {
            if (o["uid"] is JsonValue u && u.ToString() == "<uid>")
            {
                var name = o["name"]?.ToString() ?? path.Split('/')[^1];
                o["uid"] = _matcher.UidsByName.GetValueOrDefault(name) ?? Guid.NewGuid().ToString();
            }

            foreach (var (_, v) in o.ToList())
            {
                if (v is not null)
                {
                    SubstituteUids(v, path);
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var v in a)
            {
                if (v is not null)
                {
                    SubstituteUids(v, path);
                }
            }
        }

        return node;
    }

    private static async Task SeedSelectorsAsync(HttpClient client, CancellationToken ct)
    {
        var seeds = new (string Ns, string Name, string Labels)[]
        {
            ("s08", "w-1", """{"app":"web","env":"prod","tier":"front"}"""),
            ("s08", "w-2", """{"app":"web","tier":"front"}"""),
            ("s08", "w-3", """{"app":"db","env":"prod","tier":"back"}"""),
            ("s08", "w-4", """{"app":"db","env":"dev","tier":"back"}"""),
            ("s08", "w-5", """{"app":"cache","tier":"back"}"""),
            ("s08", "w-6", """{"app":"cache"}"""),
            ("s08", "w-7", """{"env":"dev","tier":"front"}"""),
            ("s08-other", "w-x", """{"app":"web"}"""),
        };
        foreach (var (ns, name, labels) in seeds)
        {
            await SendAsync(client, "POST", $"/apis/example.test/v1/namespaces/{ns}/widgets", "{\"apiVersion\":\"example.test/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":" + labels + "},\"spec\":{\"size\":\"small\"}}", ct);
        }
    }

    private static async Task SendAsync(HttpClient client, string method, string path, string json, CancellationToken ct, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/')) { Content = new StringContent(json, Encoding.UTF8, mediaType) };
        using var response = await client.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
    }

    private static string Cut(string s) => s.Length > 300 ? s[..300] + "..." : s;
}
