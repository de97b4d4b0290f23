using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Tests.Support;
using DesktopOperator.Testing.Fakes;
using k8s;

namespace DesktopOperator.Runtime.Tests.Fakes;

/// <summary>The fake must keep the API semantics the runtime's tests rely on.</summary>
public sealed class InMemoryKubernetesClientTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly InMemoryKubernetesClient _client = new();

    [Fact]
    public async Task ReplaceAsync_StaleResourceVersion_Conflict()
    {
        var created = await _client.CreateAsync(Widget.Make("a"), None);
        created.Spec.Replicas = 2;
        await _client.ReplaceAsync(created, None);

        created.Spec.Replicas = 3;
        var error = await Assert.ThrowsAsync<KubeApiException>(() => _client.ReplaceAsync(created, None));

        Assert.Equal((409, "Conflict"), (error.StatusCode, error.Reason));
    }

    [Fact]
    public async Task ReplaceAsync_SpecVersusStatus_GenerationBumpsOnlyOnSpecAndStatusIgnored()
    {
        var created = await _client.CreateAsync(Widget.Make("a"), None);
        created.Status = new WidgetStatus { ObservedGeneration = 7 };
        var statusOnly = await _client.ReplaceAsync(created, None);
        Assert.Equal(1, statusOnly.Metadata.Generation);
        Assert.Null(statusOnly.Status);

        statusOnly.Status = new WidgetStatus { ObservedGeneration = 1 };
        var withStatus = await _client.ReplaceStatusAsync(statusOnly, None);
        Assert.Equal(1, withStatus.Metadata.Generation);
        Assert.Equal(1, withStatus.Status!.ObservedGeneration);

        withStatus.Spec.Replicas = 5;
        var specChanged = await _client.ReplaceAsync(withStatus, None);
        Assert.Equal(2, specChanged.Metadata.Generation);
        Assert.Equal(1, specChanged.Status!.ObservedGeneration);
    }

    [Fact]
    public async Task WatchAsync_FromCompactedVersion_Throws410()
    {
        var created = await _client.CreateAsync(Widget.Make("a"), None);
        await _client.CreateAsync(Widget.Make("b"), None);
        _client.CompactHistory();

        var error = await Assert.ThrowsAsync<KubeApiException>(async () =>
        {
            await foreach (var unused in _client.WatchAsync<Widget>(null, new WatchOptions { ResourceVersion = created.Metadata.ResourceVersion }, None))
            {
            }
        });

        Assert.Equal((410, "Expired"), (error.StatusCode, error.Reason));
    }

    [Fact]
    public async Task WatchAsync_FromVersion_ReplaysLaterEventsAndDeletedCarriesLastState()
    {
        var created = await _client.CreateAsync(Widget.Make("a", replicas: 1), None);
        created.Spec.Replicas = 4;
        await _client.ReplaceAsync(created, None);
        await _client.DeleteAsync<Widget>("a", "default", null, None);
        _client.BreakWatches();

        var events = new List<WatchEvent<Widget>>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var e in _client.WatchAsync<Widget>(null, new WatchOptions { ResourceVersion = created.Metadata.ResourceVersion }, cts.Token))
        {
            events.Add(e);
            if (events.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.Equal(4, events[1].Resource.Spec.Replicas);
        Assert.Equal(_client.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), events[1].Resource.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task ListAsync_LimitAndContinue_PagesCoverAllOnce()
    {
        for (var i = 0; i < 7; i++)
        {
            await _client.CreateAsync(Widget.Make($"w{i}"), None);
        }

        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await _client.ListAsync<Widget>("default", new ListOptions { Limit = 3, Continue = token }, None);
            names.AddRange(page.Items.Select(w => w.Metadata.Name!));
            token = page.Metadata.ContinueProperty;
        }
        while (token is not null);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"w{i}"), names);
    }
}
