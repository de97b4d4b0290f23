using System.IO.Pipelines;
using System.Text;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Client;

public sealed class WatchStreamDecoderTests
{
    private const string Added = """{"type":"ADDED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","resourceVersion":"1"}}}""";
    private const string ObjectFirst = """{"object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"b","resourceVersion":"2"}},"type":"MODIFIED"}""";

    [Fact]
    public async Task ReadNextAsync_ByteByByteWithBlankLinesAndCrLf_DecodesEachEvent()
    {
        var pipe = new Pipe();
        var decoder = new WatchStreamDecoder<V1Pod>(pipe.Reader);
        var bytes = Encoding.UTF8.GetBytes(Added + "\r\n\n" + ObjectFirst + "\n");
        foreach (var b in bytes)
        {
            await pipe.Writer.WriteAsync(new[] { b });
        }

        await pipe.Writer.CompleteAsync();

        var first = await decoder.ReadNextAsync(CancellationToken.None);
        var second = await decoder.ReadNextAsync(CancellationToken.None);
        var end = await decoder.ReadNextAsync(CancellationToken.None);

        Assert.Equal((WatchEventType.Added, "a"), (first!.Type, first.Resource.Metadata.Name));
        Assert.Equal((WatchEventType.Modified, "b"), (second!.Type, second.Resource.Metadata.Name));
        Assert.Null(end);
    }

    [Fact]
    public async Task ReadNextAsync_EventsSpanningManySmallSegments_AreCopiedAndDecoded()
    {
        var bytes = Encoding.UTF8.GetBytes(Added + "\n" + ObjectFirst + "\n");
        var reader = PipeReader.Create(new MemoryStream(bytes), new StreamPipeReaderOptions(bufferSize: 16, minimumReadSize: 8));
        var decoder = new WatchStreamDecoder<V1Pod>(reader);

        var first = await decoder.ReadNextAsync(CancellationToken.None);
        var second = await decoder.ReadNextAsync(CancellationToken.None);

        Assert.Equal(("a", "1"), (first!.Resource.Metadata.Name, first.Resource.Metadata.ResourceVersion));
        Assert.Equal(("b", "2"), (second!.Resource.Metadata.Name, second.Resource.Metadata.ResourceVersion));
        Assert.Null(await decoder.ReadNextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadNextAsync_LastEventWithoutNewline_IsDecodedAtEnd()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(Added));
        await pipe.Writer.CompleteAsync();
        var decoder = new WatchStreamDecoder<V1Pod>(pipe.Reader);

        Assert.Equal("a", (await decoder.ReadNextAsync(CancellationToken.None))!.Resource.Metadata.Name);
        Assert.Null(await decoder.ReadNextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadNextAsync_StreamEndsInsideAnEvent_ThrowsIOException()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(Added + "\n" + Added[..30]));
        await pipe.Writer.CompleteAsync();
        var decoder = new WatchStreamDecoder<V1Pod>(pipe.Reader);

        Assert.NotNull(await decoder.ReadNextAsync(CancellationToken.None));
        await Assert.ThrowsAsync<IOException>(() => decoder.ReadNextAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task ReadNextAsync_TwoEventsBuffered_SecondIsReturnedWithoutMoreData()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(Added + "\n" + ObjectFirst + "\n"));
        var decoder = new WatchStreamDecoder<V1Pod>(pipe.Reader);

        Assert.Equal("a", (await decoder.ReadNextAsync(CancellationToken.None))!.Resource.Metadata.Name);
        var second = decoder.ReadNextAsync(CancellationToken.None).AsTask();

        Assert.Equal("b", (await second.WaitAsync(TimeSpan.FromSeconds(10)))!.Resource.Metadata.Name);
        await pipe.Writer.CompleteAsync();
    }

    [Fact]
    public async Task ReadNextAsync_CancelledWhileWaiting_ReturnsNull()
    {
        var pipe = new Pipe();
        var decoder = new WatchStreamDecoder<V1Pod>(pipe.Reader);
        using var cancel = new CancellationTokenSource();

        var pending = decoder.ReadNextAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();

        Assert.Null(await pending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ReadNextAsync_LineLongerThanLimit_Throws()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(new string(' ', 10) + "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"" + new string('x', 200)));
        var decoder = new WatchStreamDecoder<V1Pod>(pipe.Reader, maxLineBytes: 100);

        await Assert.ThrowsAsync<KubeApiException>(() => decoder.ReadNextAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task ReadNextAsync_ErrorEventWithStatusOtherThanGone_ThrowsMatchingType()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"boom","reason":"InternalError","code":500}}""" + "\n"));
        var decoder = new WatchStreamDecoder<V1Pod>(pipe.Reader);

        var error = await Assert.ThrowsAsync<KubeServerErrorException>(() => decoder.ReadNextAsync(CancellationToken.None).AsTask());
        Assert.Equal(500, error.StatusCode);
    }
}
