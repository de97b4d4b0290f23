using System.Net;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Benchmarks.Http;

/// <summary>A started HTTP proxy (or upstream) of the HTTP benchmark: where clients go, its PID for CPU readings, its folder.</summary>
internal sealed class RunningHttpProxy(string name, Uri baseUri, int processId, Func<ValueTask> stop, string directory) : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(5) };

    public string Name { get; } = name;

    public Uri BaseUri { get; } = baseUri;

    public int ProcessId { get; } = processId;

    /// <summary>Waits (bounded) until a GET of <paramref name="page"/> answers 200, else throws with the logs.</summary>
    public async Task WaitUntilServingAsync(Uri page, Func<bool> exited, CancellationToken cancellationToken)
    {
        var serving = await Eventually.HoldsAsync(() => !exited() && IsServing(page, cancellationToken), TimeSpan.FromSeconds(30), cancellationToken);
        if (!serving)
        {
            throw new InvalidOperationException($"{Name} does not serve {page}: {HostLogs.Describe(directory)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop();
        HostLogs.Remove(directory);
    }

    private static bool IsServing(Uri page, CancellationToken cancellationToken)
    {
        try
        {
            using var response = Probe.Send(new HttpRequestMessage(HttpMethod.Get, page), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
