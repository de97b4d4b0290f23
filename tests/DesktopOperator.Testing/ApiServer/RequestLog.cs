using System.Collections.Concurrent;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>Every request a <see cref="TestApiServer"/> served, in arrival order; thread-safe. Tests count calls with it.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public int Count(Func<RecordedRequest, bool> predicate) => _requests.Count(predicate);

    /// <summary>Lists (not watches) of the collection at <paramref name="collectionPath"/>.</summary>
    public int Lists(string collectionPath) => _requests.Count(r => r.IsList(collectionPath));

    /// <summary>Watches of the collection at <paramref name="collectionPath"/> ever opened.</summary>
    public int Watches(string collectionPath) => _requests.Count(r => r.IsWatch && r.Path == collectionPath);

    /// <summary>Watches of the collection at <paramref name="collectionPath"/> still streaming.</summary>
    public int OpenWatches(string collectionPath) => _requests.Count(r => r.IsWatch && r.Path == collectionPath && !r.Finished);

    public IReadOnlyList<RecordedRequest> Snapshot() => [.. _requests];

    internal RecordedRequest Add(RecordedRequest request)
    {
        _requests.Enqueue(request);
        return request;
    }
}
