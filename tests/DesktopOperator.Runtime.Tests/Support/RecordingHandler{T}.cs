using System.Collections.Concurrent;
using DesktopOperator.Runtime.Informers;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Tests.Support;

/// <summary>Records every notification as "Add name", "InitialAdd name", "Update name rvOld->rvNew", "Delete name".</summary>
public sealed class RecordingHandler<T> : IResourceEventHandler<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentQueue<string> _log = new();
    private int _concurrent;

    public IReadOnlyList<string> Log => [.. _log];

    public bool SawConcurrentCalls { get; private set; }

    public void OnAdd(T obj, bool isInInitialList) => Note($"{(isInInitialList ? "InitialAdd" : "Add")} {obj.Metadata.Name}");

    public void OnUpdate(T oldObj, T newObj) => Note($"Update {newObj.Metadata.Name} {oldObj.Metadata.ResourceVersion}->{newObj.Metadata.ResourceVersion}");

    public void OnDelete(T obj) => Note($"Delete {obj.Metadata.Name}");

    private void Note(string entry)
    {
        if (Interlocked.Increment(ref _concurrent) > 1)
        {
            SawConcurrentCalls = true;
        }

        _log.Enqueue(entry);
        Interlocked.Decrement(ref _concurrent);
    }
}
