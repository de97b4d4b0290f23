using System.Text;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Tests.Support;
using DesktopOperator.Testing.ApiServer;
using Microsoft.AspNetCore.Http;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Client;

/// <summary>
/// Our watch decoder on byte-level streams: recorded events split at every chunk size, streams held open, cut mid-event.
/// The test API server sends them as scripted answers the test writes itself (no API server produces these on cue);
/// the server's own watches are covered by the conformance suite and the golden transcripts.
/// </summary>
public sealed class WatchTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task WatchAsync_RecordedStream_YieldsEveryEventInOrderThenEndsWhenServerEnds()
    {
        var lines = Reference.WatchEventLines("09-watch.json", "allowWatchBookmarks=true, timeoutSeconds=12");
        await using var server = await StartWritingAsync(c => WriteLinesAsync(c, lines, chunkSize: null));
        using var client = TestClient.For(server);
        using var timeout = new CancellationTokenSource(Bound);

        var events = await CollectAsync(client.WatchAsync<Widget>("s09", new WatchOptions { ResourceVersion = "100", TimeoutSeconds = 12 }, timeout.Token));

        Assert.Equal(
            [WatchEventType.Added, WatchEventType.Modified, WatchEventType.Modified, WatchEventType.Deleted, WatchEventType.Bookmark, WatchEventType.Bookmark],
            events.Select(e => e.Type));
        Assert.Equal("w-b", events[0].Resource.Metadata.Name);
        Assert.Equal("small", events[0].Resource.Spec.Size);
        Assert.Equal("<rv:5>", events[4].Resource.Metadata.ResourceVersion);
        Assert.Null(events[4].Resource.Metadata.Name);
        Assert.Equal(
            "/apis/example.test/v1/namespaces/s09/widgets?watch=1&resourceVersion=100&allowWatchBookmarks=true&timeoutSeconds=12",
            server.Requests.Snapshot()[0].RawTarget);
        Assert.False(timeout.IsCancellationRequested);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public async Task WatchAsync_EventsSplitAcrossChunks_AreReassembled(int chunkSize)
    {
        var lines = Reference.WatchEventLines("09-watch.json", "allowWatchBookmarks=true, timeoutSeconds=12");
        await using var server = await StartWritingAsync(c => WriteLinesAsync(c, lines, chunkSize));
        using var client = TestClient.For(server);
        using var timeout = new CancellationTokenSource(Bound);

        var events = await CollectAsync(client.WatchAsync<Widget>("s09", null, timeout.Token));

        Assert.Equal(["w-b", "w-b", "w-b", "w-a", null, null], events.Select(e => e.Resource.Metadata.Name));
        Assert.Equal(WatchEventType.Deleted, events[3].Type);
        Assert.Equal("Ready", events[2].Resource.Status!.Phase);
    }

    [Fact]
    public async Task WatchAsync_ErrorEvent410_ThrowsGoneAfterEarlierEvents()
    {
        var added = Reference.WatchEventLines("09-watch.json", "allowWatchBookmarks=true, timeoutSeconds=12")[0];
        var error = Reference.WatchEventLines("09-watch.json", "older than the watch cache window").Single();
        await using var server = await StartWritingAsync(c => WriteLinesAsync(c, [added, error], chunkSize: null));
        using var client = TestClient.For(server);
        var received = new List<WatchEvent<Widget>>();

        var gone = await Assert.ThrowsAsync<KubeGoneException>(async () =>
        {
            await foreach (var e in client.WatchAsync<Widget>("s09", new WatchOptions { ResourceVersion = "1" }, CancellationToken.None))
            {
                received.Add(e);
            }
        });

        Assert.Single(received);
        Assert.Equal(410, gone.StatusCode);
        Assert.Equal("Expired", gone.Reason);
        Assert.StartsWith("too old resource version", gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchAsync_CancelledWhileStreamIsOpen_EndsWithoutException()
    {
        var first = Reference.WatchEventLines("09-watch.json", "allowWatchBookmarks=true, timeoutSeconds=12")[0];
        await using var server = await StartWritingAsync(async c =>
        {
            await WriteLinesAsync(c, [first], chunkSize: null, end: false);
            await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var client = TestClient.For(server);
        using var stop = new CancellationTokenSource();
        using var bound = new CancellationTokenSource(Bound);
        var received = 0;

        await foreach (var e in client.WatchAsync<Widget>("s09", null, stop.Token).WithCancellation(bound.Token))
        {
            received++;
            await stop.CancelAsync();
        }

        Assert.Equal(1, received);
        Assert.False(bound.IsCancellationRequested);
    }

    [Fact]
    public async Task WatchAsync_SeveralEventsInOneWriteThenSilence_AllAreDeliveredWithoutWaitingForMore()
    {
        var lines = Reference.WatchEventLines("09-watch.json", "allowWatchBookmarks=true, timeoutSeconds=12");
        await using var server = await StartWritingAsync(async c =>
        {
            await WriteLinesAsync(c, lines.Take(3), chunkSize: null, end: false);
            await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var client = TestClient.For(server);
        using var stop = new CancellationTokenSource(Bound);
        var received = 0;

        await foreach (var e in client.WatchAsync<Widget>("s09", null, stop.Token))
        {
            if (++received == 3)
            {
                break;
            }
        }

        Assert.Equal(3, received);
        Assert.False(stop.IsCancellationRequested);
    }

    [Fact]
    public async Task WatchAsync_StreamOutlivesTheRequestTimeout_KeepsDelivering()
    {
        var lines = Reference.WatchEventLines("09-watch.json", "allowWatchBookmarks=true, timeoutSeconds=12");
        var firstDelivered = new TaskCompletionSource();
        await using var server = await StartWritingAsync(async c =>
        {
            await WriteLinesAsync(c, [lines[0]], chunkSize: null, end: false);
            await firstDelivered.Task.WaitAsync(Bound);

            // Deliberately longer than the client's RequestTimeout: that bound is for answers, not for streams.
            await Task.Delay(TimeSpan.FromSeconds(2), c.RequestAborted);
            await c.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(lines[1] + "\n"));
            await c.Response.CompleteAsync();
        });
        using var client = TestClient.For(new Kube.Config.KubeClientSettings { Host = server.BaseAddress, RequestTimeout = TimeSpan.FromMilliseconds(500) });
        var types = new List<WatchEventType>();

        await foreach (var e in client.WatchAsync<Widget>("s09", null, CancellationToken.None))
        {
            types.Add(e.Type);
            firstDelivered.TrySetResult();
        }

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified], types);
    }

    [Fact]
    public async Task WatchAsync_CancelledWhileBlockedReading_EndsWithoutException()
    {
        var first = Reference.WatchEventLines("09-watch.json", "allowWatchBookmarks=true, timeoutSeconds=12")[0];
        await using var server = await StartWritingAsync(async c =>
        {
            await WriteLinesAsync(c, [first], chunkSize: null, end: false);
            await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var client = TestClient.For(server);
        using var stop = new CancellationTokenSource();
        await using var events = client.WatchAsync<Widget>("s09", null, stop.Token).GetAsyncEnumerator();

        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Bound));
        var next = events.MoveNextAsync().AsTask();
        Assert.False(next.IsCompleted);
        await stop.CancelAsync();

        Assert.False(await next.WaitAsync(Bound));
    }

    [Fact]
    public async Task WatchAsync_CancelledBeforeHeaders_EndsWithoutEventsOrException()
    {
        var requestSeen = new TaskCompletionSource();
        await using var server = await StartWritingAsync(async c =>
        {
            requestSeen.TrySetResult();
            await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        using var client = TestClient.For(server);
        using var stop = new CancellationTokenSource();

        var watch = CollectAsync(client.WatchAsync<Widget>("s09", null, stop.Token));
        await requestSeen.Task.WaitAsync(Bound);
        await stop.CancelAsync();
        var events = await watch.WaitAsync(Bound);

        Assert.Empty(events);
    }

    [Fact]
    public async Task WatchAsync_ServerEndsWithoutEvents_EndsCleanly()
    {
        await using var server = await StartWritingAsync(c => WriteLinesAsync(c, [], chunkSize: null));
        using var client = TestClient.For(server);

        var events = await CollectAsync(client.WatchAsync<V1Pod>(null, new WatchOptions { AllowBookmarks = false, LabelSelector = "nomatch=1", TimeoutSeconds = 2 }, CancellationToken.None));

        Assert.Empty(events);
        Assert.Equal("/api/v1/pods?watch=1&labelSelector=nomatch%3D1&timeoutSeconds=2", server.Requests.Snapshot()[0].RawTarget);
    }

    [Fact]
    public async Task WatchAsync_ConnectionDroppedMidStream_ThrowsIOExceptionAfterDeliveredEvents()
    {
        var first = Reference.WatchEventLines("09-watch.json", "allowWatchBookmarks=true, timeoutSeconds=12")[0];
        var delivered = new TaskCompletionSource();
        await using var server = await StartWritingAsync(async c =>
        {
            await WriteLinesAsync(c, [first], chunkSize: null, end: false);
            await c.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(first[..40]));
            await c.Response.Body.FlushAsync();
            await delivered.Task.WaitAsync(Bound);
            c.Abort();
        });
        using var client = TestClient.For(server);
        var received = 0;

        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await foreach (var e in client.WatchAsync<Widget>("s09", null, CancellationToken.None))
            {
                received++;
                delivered.TrySetResult();
            }
        });

        Assert.Equal(1, received);
        Assert.Single(server.Requests.Snapshot());
    }

    [Fact]
    public async Task WatchAsync_HttpErrorBeforeStream_ThrowsTypedException()
    {
        var body = Reference.ResponseBody("14-errors-misc.json", "no credentials at all");
        await using var server = await StartAnsweringAsync(new ScriptedResponse(403, body));
        using var client = TestClient.For(server);

        await Assert.ThrowsAsync<KubeForbiddenException>(() => CollectAsync(client.WatchAsync<Widget>("s14", null, CancellationToken.None)));
    }

    /// <summary>A server answering every request with <paramref name="answer"/> (each request is recorded).</summary>
    private static async Task<TestApiServer> StartAnsweringAsync(ScriptedResponse answer)
    {
        var server = await TestApiServer.StartNewAsync();
        server.Faults.RespondNext(int.MaxValue, answer);
        return server;
    }

    private static Task<TestApiServer> StartWritingAsync(Func<HttpContext, Task> write) => StartAnsweringAsync(ScriptedResponse.WrittenBy(write));

    private static async Task<List<WatchEvent<T>>> CollectAsync<T>(IAsyncEnumerable<WatchEvent<T>> watch)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var events = new List<WatchEvent<T>>();
        await foreach (var e in watch)
        {
            events.Add(e);
        }

        return events;
    }

    private static async Task WriteLinesAsync(HttpContext context, IEnumerable<string> lines, int? chunkSize, bool end = true)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync();
        var bytes = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        var step = chunkSize ?? Math.Max(bytes.Length, 1);
        for (var offset = 0; offset < bytes.Length; offset += step)
        {
            await context.Response.Body.WriteAsync(bytes.AsMemory(offset, Math.Min(step, bytes.Length - offset)));
            await context.Response.Body.FlushAsync();
        }

        if (end)
        {
            await context.Response.CompleteAsync();
        }
    }
}
