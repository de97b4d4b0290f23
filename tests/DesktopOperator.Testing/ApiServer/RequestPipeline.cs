using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>The HTTP entry point: faults, authentication, discovery, then routing of resource paths to the verbs.</summary>
internal sealed class RequestPipeline(ServerState state, ObjectHandlers objects, WatchHandler watches, Authentication authentication, string serverAddress)
{
    public async Task HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var faults = state.Faults;
        if (faults.Outage is { } outage)
        {
            if (outage == OutageMode.RefuseConnections)
            {
                http.Abort();
                return;
            }

            await WriteStatusAsync(http, new ApiError(503, StatusBodies.Failure(503, "ServiceUnavailable", "the server is currently unable to handle the request", [])), ct).ConfigureAwait(false);
            return;
        }

        if (faults.Latency > TimeSpan.Zero)
        {
            await Task.Delay(faults.Latency, state.Time, ct).ConfigureAwait(false);
        }

        var recorded = ScriptedAnswers.Record(http);
        if (faults.NextFailure(recorded) is { } failure)
        {
            if (failure.Response is { } scripted)
            {
                // Recorded with its body, as a raw server would record it: tests check what a client sent.
                recorded.Body = Encoding.UTF8.GetString(await ReadBodyAsync(http.Request, ct).ConfigureAwait(false));
                state.Requests.Add(recorded);
                await ScriptedAnswers.WriteAsync(http, scripted, ct).ConfigureAwait(false);
                recorded.Finish();
                return;
            }

            if (failure.RetryAfter is { } retry)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            var (reason, message) = failure.Status == 429
                ? ("TooManyRequests", "Too many requests, please try again later.")
                : ("InternalError", "Internal error occurred: injected fault");
            var status = StatusBodies.Failure(failure.Status, reason, message, failure.RetryAfter is { } r ? new JsonObject { ["retryAfterSeconds"] = (int)Math.Ceiling(r.TotalSeconds) } : null);
            await WriteStatusAsync(http, new ApiError(failure.Status, status), ct).ConfigureAwait(false);
            return;
        }

        // Taken before the request is recorded: a test that sees the watch in the log can drop or expire it.
        var watchFaults = (faults.WatchDropToken, faults.WatchExpireToken);
        state.Requests.Add(recorded);
        try
        {
            await RouteAsync(http, recorded, watchFaults, ct).ConfigureAwait(false);
        }
        catch (ApiError e)
        {
            if (!http.Response.HasStarted)
            {
                await WriteStatusAsync(http, e, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away (watch closed); nothing to answer.
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException or ArgumentException or KeyNotFoundException or System.Text.Json.JsonException)
        {
            // A bug in this test server: answer like the real server's panic handler, with the reason, so tests show it.
            if (!http.Response.HasStarted)
            {
                await WriteStatusAsync(http, new ApiError(500, StatusBodies.Failure(500, "InternalError", $"test api server bug: {e}", null)), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            recorded.Finish();
        }
    }

    private async Task RouteAsync(HttpContext http, RecordedRequest recorded, (CancellationToken Drop, CancellationToken Expire) watchFaults, CancellationToken ct)
    {
        var request = http.Request;
        var path = request.Path.Value ?? "/";
        recorded.User = authentication.Authenticate(request, http.Connection.ClientCertificate);
        authentication.Authorize(recorded.User, request, path);

        if (request.Method == "GET" && (Discovery.For(path, state.Registry, serverAddress) ?? OpenApiV3.For(path, state.Registry)) is { } doc)
        {
            await WriteJsonAsync(http, 200, doc, ct).ConfigureAwait(false);
            return;
        }

        var api = ApiPath.Parse(path, state.Registry) ?? throw ApiError.PageNotFound();
        string? Query(string name) => request.Query.TryGetValue(name, out var v) ? v.ToString() : null;
        var accept = request.Headers.Accept.ToString();
        if (accept.Contains("application/vnd.kubernetes.protobuf", StringComparison.Ordinal) && api.Type.IsCustom)
        {
            throw new ApiError(406, StatusBodies.Failure(406, "NotAcceptable", "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf", []));
        }

        var body = await ReadBodyAsync(request, ct).ConfigureAwait(false);
        recorded.Body = Encoding.UTF8.GetString(body);
        var ctx = new WriteContext(api.Type, api.Namespace, api.Name, api.Subresource, Manager(request, Query("fieldManager")), state.NowText(), Query("dryRun") == "All");
        switch (request.Method)
        {
            case "GET" when api.Name is not null && !api.LegacyWatch && Query("watch") is not ("1" or "true"):
                await WriteJsonAsync(http, 200, objects.Get(api.Type, api.Namespace, api.Name), ct, accept).ConfigureAwait(false);
                break;
            case "GET":
                var options = ListOptions.From(api.Type, Query);
                if (options.Watch || api.LegacyWatch)
                {
                    await watches.ServeAsync(http, api, options, watchFaults, ct).ConfigureAwait(false);
                }
                else
                {
                    await WriteJsonAsync(http, 200, objects.List(api.Type, api.Namespace, options), ct, accept).ConfigureAwait(false);
                }

                break;
            case "POST" when api.Subresource == "binding":
                var binding = JsonNode.Parse(body) as JsonObject ?? throw StatusBodies.BadRequest("the object provided is unrecognized (must be of type Binding)");
                await WriteJsonAsync(http, 201, objects.Bind(ctx, binding), ct).ConfigureAwait(false);
                break;
            case "POST" when api.Subresource == "eviction":
                var eviction = JsonNode.Parse(body) as JsonObject ?? throw StatusBodies.BadRequest("the object provided is unrecognized (must be of type Eviction)");
                await WriteJsonAsync(http, 201, objects.Evict(ctx, eviction), ct).ConfigureAwait(false);
                break;
            case "POST" when api.Name is null:
                var toCreate = BodyDecoder.DecodeObject(body, request.ContentType, api.Type, api.Namespace);
                var created = objects.Create(ctx, api.Type.Group == "events.k8s.io" ? EventConversion.ToCore(toCreate) : toCreate);
                await WriteJsonAsync(http, 201, created, ct).ConfigureAwait(false);
                break;
            case "PUT" when api.Name is null:
                throw StatusBodies.BadRequest("name must be provided");
            case "PUT":
                var obj = BodyDecoder.DecodeObject(body, request.ContentType, api.Type, api.Namespace);
                if (api.Type.Group == "events.k8s.io")
                {
                    obj = EventConversion.ToCore(obj);
                }

                await WriteJsonAsync(http, 200, objects.Update(ctx, obj, fromPatch: false), ct).ConfigureAwait(false);
                break;
            case "PATCH" when api.Name is not null:
                var applyCtx = ctx with { Manager = Query("fieldManager") ?? (BodyDecoder.MediaType(request.ContentType) == "application/apply-patch+yaml" ? string.Empty : ctx.Manager) };
                var (code, patched) = objects.Patch(applyCtx, request.ContentType, body, Query("force") == "true");
                await WriteJsonAsync(http, code, patched, ct).ConfigureAwait(false);
                break;
            case "DELETE" when api.Name is not null:
                JsonObject? deleteBody = body.Length == 0 ? null : JsonNode.Parse(body) as JsonObject;
                var deleted = objects.Delete(ctx, DeleteOptions.From(deleteBody, Query));
                await WriteJsonAsync(http, 200, deleted, ct).ConfigureAwait(false);
                break;
            default:
                throw StatusBodies.MethodNotSupported(api.Type, request.Method);
        }
    }

    /// <summary>The field manager: <c>fieldManager</c>, else the User-Agent up to its first '/' (as the real server does).</summary>
    private static string Manager(HttpRequest request, string? fieldManager)
    {
        if (!string.IsNullOrEmpty(fieldManager))
        {
            return fieldManager;
        }

        var agent = request.Headers.UserAgent.ToString();
        var slash = agent.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? agent[..slash] : agent.Length > 0 ? agent : "unknown";
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static async Task WriteJsonAsync(HttpContext http, int code, JsonObject body, CancellationToken ct, string? accept = null)
    {
        http.Response.StatusCode = code;
        if (accept is not null && accept.StartsWith("application/yaml", StringComparison.Ordinal))
        {
            http.Response.ContentType = "application/yaml";
            await http.Response.WriteAsync(JsonToYaml.Write(body), Encoding.UTF8, ct).ConfigureAwait(false);
            return;
        }

        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8, ct).ConfigureAwait(false);
    }

    private static async Task WriteStatusAsync(HttpContext http, ApiError error, CancellationToken ct)
    {
        if (error.PlainTextNotFound)
        {
            http.Response.StatusCode = 404;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("404 page not found\n", Encoding.UTF8, ct).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(http, error.Code, error.Status, ct).ConfigureAwait(false);
    }
}
