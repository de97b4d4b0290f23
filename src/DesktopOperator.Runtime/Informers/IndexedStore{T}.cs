using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Informers;

/// <summary>
/// A thread-safe map of <see cref="ObjectKey"/> to object with secondary indexes (client-go's
/// <c>ThreadSafeStore</c> + <c>Indexers</c>). Every operation is atomic under one lock: a reader never sees an
/// object without its index entries. Index functions run under the lock, so they must be fast and pure.
/// </summary>
public sealed class IndexedStore<T> : ICache<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectKey, T> _items = [];
    private readonly Dictionary<string, Func<IKubernetesObject<V1ObjectMeta>, IEnumerable<string>>> _indexers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<ObjectKey>>> _indices = new(StringComparer.Ordinal);

    public IndexedStore(IReadOnlyDictionary<string, Func<IKubernetesObject<V1ObjectMeta>, IEnumerable<string>>>? indexers = null)
    {
        foreach (var (name, indexer) in indexers ?? Indexers.Standard)
        {
            _indexers[name] = indexer;
            _indices[name] = new Dictionary<string, HashSet<ObjectKey>>(StringComparer.Ordinal);
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public T? GetByKey(ObjectKey key)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public IReadOnlyList<T> List()
    {
        lock (_gate)
        {
            return [.. _items.Values];
        }
    }

    public IReadOnlyList<T> ByIndex(string indexName, string indexedValue)
    {
        lock (_gate)
        {
            var index = _indices.GetValueOrDefault(indexName) ?? throw new ArgumentException($"no indexer named '{indexName}'", nameof(indexName));
            return index.TryGetValue(indexedValue, out var keys) ? [.. keys.Select(k => _items[k])] : [];
        }
    }

    public IReadOnlyList<string> IndexValues(string indexName)
    {
        lock (_gate)
        {
            var index = _indices.GetValueOrDefault(indexName) ?? throw new ArgumentException($"no indexer named '{indexName}'", nameof(indexName));
            return [.. index.Keys];
        }
    }

    /// <summary>Adds or replaces the object under its key; returns the object it replaced.</summary>
    public T? Upsert(T obj)
    {
        var key = ObjectKey.From(obj);
        lock (_gate)
        {
            var old = _items.GetValueOrDefault(key);
            if (old is not null)
            {
                Unindex(key, old);
            }

            _items[key] = obj;
            Index(key, obj);
            return old;
        }
    }

    /// <summary>Removes the key; returns the object it held, or null.</summary>
    public T? Remove(ObjectKey key)
    {
        lock (_gate)
        {
            if (!_items.Remove(key, out var old))
            {
                return null;
            }

            Unindex(key, old);
            return old;
        }
    }

    /// <summary>
    /// Atomically makes the store hold exactly <paramref name="items"/>. Returns, in input order, each new object
    /// with the one it replaced (null when added), and the objects whose keys vanished.
    /// </summary>
    public (IReadOnlyList<(T? Old, T New)> Upserted, IReadOnlyList<T> Removed) Replace(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        lock (_gate)
        {
            var upserted = new List<(T?, T)>();
            var seen = new HashSet<ObjectKey>();
            foreach (var item in items)
            {
                var key = ObjectKey.From(item);
                seen.Add(key);
                upserted.Add((Upsert(item), item));
            }

            var removed = new List<T>();
            foreach (var key in _items.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                removed.Add(Remove(key)!);
            }

            return (upserted, removed);
        }
    }

    private void Index(ObjectKey key, T obj)
    {
        foreach (var (name, indexer) in _indexers)
        {
            var index = _indices[name];
            foreach (var value in indexer(obj))
            {
                if (!index.TryGetValue(value, out var keys))
                {
                    index[value] = keys = [];
                }

                keys.Add(key);
            }
        }
    }

    private void Unindex(ObjectKey key, T obj)
    {
        foreach (var (name, indexer) in _indexers)
        {
            var index = _indices[name];
            foreach (var value in indexer(obj))
            {
                if (index.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    index.Remove(value);
                }
            }
        }
    }
}
