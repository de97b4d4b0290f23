using System.Net;
using System.Text.Json.Nodes;
using DesktopOperator.Testing.Waiting;
using static DesktopOperator.IntegrationTests.Conformance.KubeJson;

namespace DesktopOperator.IntegrationTests.Conformance;

/// <summary>
/// API-semantics checks every target must pass (the test server and a real 1.24+ cluster alike): resourceVersion,
/// conflicts, generation, status subresource, finalizers, garbage collection, selectors, paging. Watch checks live in
/// <see cref="WatchChecks"/>. Each check gets its own namespace.
/// </summary>
internal static class ConformanceChecks
{
    public static readonly IReadOnlyDictionary<string, Func<ConformanceTarget, string, CancellationToken, Task>> All =
        new Dictionary<string, Func<ConformanceTarget, string, CancellationToken, Task>>
        {
            ["Create_FillsServerMetadata"] = CreateFillsServerMetadataAsync,
            ["ResourceVersion_IsMonotonic"] = ResourceVersionMonotonicAsync,
            ["Update_StaleResourceVersion_Conflict"] = StaleUpdateConflictAsync,
            ["Generation_BumpsOnSpecChangesOnly"] = GenerationAsync,
            ["Update_NoOp_KeepsResourceVersion"] = NoOpUpdateAsync,
            ["StatusSubresource_SeparatesSpecAndStatus"] = StatusSubresourceAsync,
            ["Finalizers_HoldDeletionUntilRemoved"] = FinalizersAsync,
            ["GarbageCollection_Background_DeletesDependents"] = GcBackgroundAsync,
            ["GarbageCollection_Foreground_WaitsForBlockingDependents"] = GcForegroundAsync,
            ["GarbageCollection_Orphan_KeepsDependents"] = GcOrphanAsync,
            ["Selectors_LabelAndField_Filter"] = SelectorsAsync,
            ["Paging_LimitAndContinue_ReturnsEverythingOnce"] = PagingAsync,
            ["Errors_NotFoundAndAlreadyExists_StatusShape"] = ErrorsAsync,
            ["Watch_FromResourceVersion_ReplaysChanges"] = WatchChecks.ReplayAsync,
            ["Watch_TooOldResourceVersion_Error410"] = WatchChecks.TooOldAsync,
            ["Watch_Bookmarks_BestEffortAndCleanTimeout"] = WatchChecks.BookmarksAsync,
            ["Watch_LabelSelector_LeavingObjectIsDeleted"] = WatchChecks.SelectorTransitionAsync,
        };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in All.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    internal static string Widgets(string ns) => $"apis/example.test/v1/namespaces/{ns}/widgets";

    private static async Task<JsonObject> CreateAsync(HttpClient c, string ns, string json, CancellationToken ct)
    {
        var (status, body) = await SendAsync(c, HttpMethod.Post, Widgets(ns), json, ct);
        Assert.True(status == HttpStatusCode.Created, $"create answered {(int)status}: {body.ToJsonString()}");
        return body;
    }

    private static async Task CreateFillsServerMetadataAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        using var c = t.CreateClient();
        var w = await CreateAsync(c, ns, Widget("w1"), ct);
        Assert.Matches("^[0-9a-f-]{36}$", w["metadata"]!["uid"]!.ToString());
        Assert.Equal(1, w["metadata"]!["generation"]!.GetValue<long>());
        Assert.NotNull(w["metadata"]!["creationTimestamp"]);
        Assert.Equal("blue", w["spec"]!["color"]!.ToString());
        var gen = await CreateAsync(c, ns, """{"apiVersion":"example.test/v1","kind":"Widget","metadata":{"generateName":"gen-"},"spec":{"size":"small"}}""", ct);
        Assert.Matches("^gen-[a-z0-9]{5}$", gen["metadata"]!["name"]!.ToString());
    }

    private static async Task ResourceVersionMonotonicAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        using var c = t.CreateClient();
        var a = await CreateAsync(c, ns, Widget("a"), ct);
        var (_, a2) = await SendAsync(c, HttpMethod.Patch, $"{Widgets(ns)}/a", """{"spec":{"replicas":2}}""", ct, "application/merge-patch+json");
        var b = await CreateAsync(c, ns, Widget("b"), ct);
        Assert.True(Rv(a) < Rv(a2) && Rv(a2) < Rv(b), $"{Rv(a)} < {Rv(a2)} < {Rv(b)}");
        var list = await GetAsync(c, Widgets(ns), ct);
        Assert.True(Rv(list!) >= Rv(b));
    }

    private static async Task StaleUpdateConflictAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        using var c = t.CreateClient();
        var w = await CreateAsync(c, ns, Widget("w1"), ct);
        var first = w.DeepClone().AsObject();
        first["spec"]!["replicas"] = 2;
        var (ok, _) = await SendAsync(c, HttpMethod.Put, $"{Widgets(ns)}/w1", first.ToJsonString(), ct);
        Assert.Equal(HttpStatusCode.OK, ok);
        w["spec"]!["replicas"] = 3;
        var (status, body) = await SendAsync(c, HttpMethod.Put, $"{Widgets(ns)}/w1", w.ToJsonString(), ct);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("Conflict", body["reason"]!.ToString());
        Assert.Equal("widgets", body["details"]!["kind"]!.ToString());
    }

    private static async Task GenerationAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        using var c = t.CreateClient();
        await CreateAsync(c, ns, Widget("w1"), ct);
        var (_, labelled) = await SendAsync(c, HttpMethod.Patch, $"{Widgets(ns)}/w1", """{"metadata":{"labels":{"a":"b"}}}""", ct, "application/merge-patch+json");
        Assert.Equal(1, labelled["metadata"]!["generation"]!.GetValue<long>());
        var (_, status) = await SendAsync(c, HttpMethod.Patch, $"{Widgets(ns)}/w1/status", """{"status":{"phase":"Ready"}}""", ct, "application/merge-patch+json");
        Assert.Equal(1, status["metadata"]!["generation"]!.GetValue<long>());
        var (_, spec) = await SendAsync(c, HttpMethod.Patch, $"{Widgets(ns)}/w1", """{"spec":{"replicas":4}}""", ct, "application/merge-patch+json");
        Assert.Equal(2, spec["metadata"]!["generation"]!.GetValue<long>());
    }

    private static async Task NoOpUpdateAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        using var c = t.CreateClient();
        var w = await CreateAsync(c, ns, Widget("w1"), ct);
        var (status, again) = await SendAsync(c, HttpMethod.Put, $"{Widgets(ns)}/w1", w.ToJsonString(), ct);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Rv(w), Rv(again));
    }

    private static async Task StatusSubresourceAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        using var c = t.CreateClient();
        var created = await CreateAsync(c, ns, """{"apiVersion":"example.test/v1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":"small"},"status":{"phase":"Dropped"}}""", ct);
        Assert.Null(created["status"]);
        var toStatus = created.DeepClone().AsObject();
        toStatus["spec"]!["size"] = "large";
        toStatus["status"] = new JsonObject { ["phase"] = "Ready" };
        var (_, afterStatus) = await SendAsync(c, HttpMethod.Put, $"{Widgets(ns)}/w1/status", toStatus.ToJsonString(), ct);
        Assert.Equal("small", afterStatus["spec"]!["size"]!.ToString());
        Assert.Equal("Ready", afterStatus["status"]!["phase"]!.ToString());
        var toMain = afterStatus.DeepClone().AsObject();
        toMain["spec"]!["size"] = "large";
        toMain["status"]!["phase"] = "Ignored";
        var (_, afterMain) = await SendAsync(c, HttpMethod.Put, $"{Widgets(ns)}/w1", toMain.ToJsonString(), ct);
        Assert.Equal("large", afterMain["spec"]!["size"]!.ToString());
        Assert.Equal("Ready", afterMain["status"]!["phase"]!.ToString());
    }

    private static async Task FinalizersAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        using var c = t.CreateClient();
        await CreateAsync(c, ns, Widget("w1", extraMeta: "\"finalizers\":[\"example.test/hold\"]"), ct);
        var (status, deleting) = await SendAsync(c, HttpMethod.Delete, $"{Widgets(ns)}/w1", null, ct);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(deleting["metadata"]!["deletionTimestamp"]);
        Assert.Equal(2, deleting["metadata"]!["generation"]!.GetValue<long>());
        var (addStatus, _) = await SendAsync(c, HttpMethod.Patch, $"{Widgets(ns)}/w1", """{"metadata":{"finalizers":["example.test/hold","example.test/new"]}}""", ct, "application/merge-patch+json");
        Assert.Equal((HttpStatusCode)422, addStatus);
        Assert.NotNull(await GetAsync(c, $"{Widgets(ns)}/w1", ct));
        var (removed, _) = await SendAsync(c, HttpMethod.Patch, $"{Widgets(ns)}/w1", """[{"op":"remove","path":"/metadata/finalizers"}]""", ct, "application/json-patch+json");
        Assert.Equal(HttpStatusCode.OK, removed);
        Assert.Null(await GetAsync(c, $"{Widgets(ns)}/w1", ct));
    }

    private static string OwnerRef(JsonObject owner, bool block = true) =>
        $$"""
        "ownerReferences":[{"apiVersion":"example.test/v1","kind":"Widget","name":"{{owner["metadata"]!["name"]}}","uid":"{{owner["metadata"]!["uid"]}}","controller":true,"blockOwnerDeletion":{{(block ? "true" : "false")}}}]
        """;

    private static async Task GcBackgroundAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        Assert.True(t.HasGarbageCollector, "this target runs no garbage collector");
        using var c = t.CreateClient();
        var parent = await CreateAsync(c, ns, Widget("parent"), ct);
        await CreateAsync(c, ns, Widget("child", extraMeta: OwnerRef(parent)), ct);
        var (status, _) = await SendAsync(c, HttpMethod.Delete, $"{Widgets(ns)}/parent", null, ct);
        Assert.Equal(HttpStatusCode.OK, status);
        await Eventually.TrueAsync(async () => await GetAsync(c, $"{Widgets(ns)}/child", ct) is null, "the child is garbage collected", ct);
    }

    private static async Task GcForegroundAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        Assert.True(t.HasGarbageCollector, "this target runs no garbage collector");
        using var c = t.CreateClient();
        var parent = await CreateAsync(c, ns, Widget("parent"), ct);
        await CreateAsync(c, ns, Widget("child", extraMeta: OwnerRef(parent) + ",\"finalizers\":[\"example.test/hold\"]"), ct);
        var (status, body) = await SendAsync(c, HttpMethod.Delete, $"{Widgets(ns)}/parent", """{"apiVersion":"v1","kind":"DeleteOptions","propagationPolicy":"Foreground"}""", ct);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("foregroundDeletion", body["metadata"]!["finalizers"]!.AsArray().Select(f => f!.ToString()));
        await Eventually.TrueAsync(async () => (await GetAsync(c, $"{Widgets(ns)}/child", ct))?["metadata"]?["deletionTimestamp"] is not null, "the child is being deleted", ct);
        Assert.NotNull(await GetAsync(c, $"{Widgets(ns)}/parent", ct));
        var (patched, _) = await SendAsync(c, HttpMethod.Patch, $"{Widgets(ns)}/child", """{"metadata":{"finalizers":null}}""", ct, "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, patched);
        await Eventually.TrueAsync(async () => await GetAsync(c, $"{Widgets(ns)}/parent", ct) is null, "the parent goes once its blocking child is gone", ct);
    }

    private static async Task GcOrphanAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        Assert.True(t.HasGarbageCollector, "this target runs no garbage collector");
        using var c = t.CreateClient();
        var parent = await CreateAsync(c, ns, Widget("parent"), ct);
        await CreateAsync(c, ns, Widget("child", extraMeta: OwnerRef(parent)), ct);
        var (status, _) = await SendAsync(c, HttpMethod.Delete, $"{Widgets(ns)}/parent?propagationPolicy=Orphan", null, ct);
        Assert.Equal(HttpStatusCode.OK, status);
        await Eventually.TrueAsync(async () => await GetAsync(c, $"{Widgets(ns)}/parent", ct) is null, "the parent is gone", ct);
        var child = await GetAsync(c, $"{Widgets(ns)}/child", ct);
        Assert.NotNull(child);
        Assert.Null(child["metadata"]!["ownerReferences"]);
    }

    private static async Task SelectorsAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        using var c = t.CreateClient();
        await CreateAsync(c, ns, Widget("w-1", labels: """{"app":"web","env":"prod"}"""), ct);
        await CreateAsync(c, ns, Widget("w-2", labels: """{"app":"web"}"""), ct);
        await CreateAsync(c, ns, Widget("w-3", labels: """{"app":"db","env":"dev"}"""), ct);
        async Task<string> Names(string query)
        {
            var list = await GetAsync(c, $"{Widgets(ns)}?{query}", ct);
            return string.Join(",", list!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()).Order());
        }

        Assert.Equal("w-1,w-2", await Names("labelSelector=app%3Dweb"));
        Assert.Equal("w-1,w-2", await Names("labelSelector=app%3D%3Dweb"));
        Assert.Equal("w-3", await Names("labelSelector=app!%3Dweb"));
        Assert.Equal("w-1,w-3", await Names("labelSelector=app%20in%20(db,web),env"));
        Assert.Equal("w-2", await Names("labelSelector=!env"));
        Assert.Equal("w-3", await Names("labelSelector=app%20notin%20(web)"));
        Assert.Equal("w-2", await Names("fieldSelector=metadata.name%3Dw-2"));
        Assert.Equal("w-1,w-3", await Names("fieldSelector=metadata.name!%3Dw-2"));
        var (bad, _) = await SendAsync(c, HttpMethod.Get, $"{Widgets(ns)}?labelSelector=app%20in%20(web", null, ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        var (unsupported, body) = await SendAsync(c, HttpMethod.Get, $"{Widgets(ns)}?fieldSelector=spec.size%3Dsmall", null, ct);
        Assert.Equal(HttpStatusCode.BadRequest, unsupported);
        Assert.Equal("field label not supported: spec.size", body["message"]!.ToString());
    }

    private static async Task PagingAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        using var c = t.CreateClient();
        for (var i = 1; i <= 5; i++)
        {
            await CreateAsync(c, ns, Widget($"w-{i}"), ct);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var list = await GetAsync(c, $"{Widgets(ns)}?limit=2{(token is null ? "" : "&continue=" + Uri.EscapeDataString(token))}", ct);
            seen.AddRange(list!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()));
            token = list["metadata"]!["continue"]?.ToString();
            if (pages == 0)
            {
                Assert.Equal(3, list["metadata"]!["remainingItemCount"]!.GetValue<long>());
            }

            pages++;
        }
        while (!string.IsNullOrEmpty(token));
        Assert.Equal(3, pages);
        Assert.Equal(["w-1", "w-2", "w-3", "w-4", "w-5"], seen);
    }

    private static async Task ErrorsAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        using var c = t.CreateClient();
        await CreateAsync(c, ns, Widget("w1"), ct);
        var (exists, body) = await SendAsync(c, HttpMethod.Post, Widgets(ns), Widget("w1"), ct);
        Assert.Equal(HttpStatusCode.Conflict, exists);
        Assert.Equal("AlreadyExists", body["reason"]!.ToString());
        Assert.Equal("widgets.example.test \"w1\" already exists", body["message"]!.ToString());
        var (missing, notFound) = await SendAsync(c, HttpMethod.Get, $"{Widgets(ns)}/nope", null, ct);
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("widgets", notFound["details"]!["kind"]!.ToString());
        var (invalid, inv) = await SendAsync(c, HttpMethod.Post, Widgets(ns), Widget("bad", """{"size":"huge"}"""), ct);
        Assert.Equal((HttpStatusCode)422, invalid);
        Assert.Equal("Widget", inv["details"]!["kind"]!.ToString());
        Assert.Equal("spec.size", inv["details"]!["causes"]![0]!["field"]!.ToString());
    }
}
