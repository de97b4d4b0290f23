using System.Collections.Concurrent;
using DesktopOperator.Kube.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Informers;

/// <summary>
/// Hands out one informer per (type, namespace, label selector, field selector) per process, so controllers and the gateway
/// share one watch and one cache per resource (client-go's SharedInformerFactory). Thread-safe. Options given by
/// the first caller for a key win; later callers get the same informer. Informers asked for after
/// <see cref="StartAsync"/> start at once.
/// </summary>
public sealed class SharedInformerFactory(IKubernetesClient client, TimeProvider? time = null, Func<Random>? randomFactory = null, ILoggerFactory? loggerFactory = null)
{
    private readonly ConcurrentDictionary<(Type Type, string? Namespace, string? LabelSelector, string? FieldSelector), IRunnableInformer> _informers = new();
    private readonly ConcurrentDictionary<IRunnableInformer, Task> _running = new();
    private readonly Lock _gate = new();
    private CancellationToken? _runToken;

    public ISharedInformer<T> GetInformer<T>(InformerOptions<T>? options = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        options ??= new InformerOptions<T>();
        var informer = _informers.GetOrAdd((typeof(T), options.Namespace, options.LabelSelector, options.FieldSelector), _ => new Informer<T>(
            client,
            options,
            time,
            randomFactory?.Invoke(),
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger($"DesktopOperator.Runtime.Informers.Informer[{typeof(T).Name}]")));
        lock (_gate)
        {
            if (_runToken is { } token)
            {
                Start(informer, token);
            }
        }

        return (ISharedInformer<T>)informer;
    }

    /// <summary>Starts every informer handed out so far (and later ones as they are asked for). Returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _runToken = cancellationToken;
            foreach (var informer in _informers.Values)
            {
                Start(informer, cancellationToken);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Completes when every informer handed out so far has synced.</summary>
    public Task WaitForCacheSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_informers.Values.Select(i => i.WaitForSyncAsync(cancellationToken)));

    /// <summary>Completes when all started informers have stopped (after the start token is cancelled).</summary>
    public Task WhenStoppedAsync() => Task.WhenAll(_running.Values);

    public bool HasSynced => _informers.Values.All(i => i.HasSynced);

    private void Start(IRunnableInformer informer, CancellationToken cancellationToken) =>
        _running.GetOrAdd(informer, i => Task.Run(() => i.RunAsync(cancellationToken), CancellationToken.None));
}
