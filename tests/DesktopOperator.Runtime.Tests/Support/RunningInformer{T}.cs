using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Informers;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Tests.Support;

/// <summary>An informer running in the background for one test, with a recording handler; disposing stops it.</summary>
public sealed class RunningInformer<T> : IAsyncDisposable
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public RunningInformer(IKubernetesClient client, InformerOptions<T>? options = null, TimeProvider? time = null, Random? random = null)
    {
        Informer = new Informer<T>(client, options, time, random);
        Informer.AddEventHandler(Handler);
        _run = Task.Run(() => Informer.RunAsync(_stop.Token));
    }

    public Informer<T> Informer { get; }

    public RecordingHandler<T> Handler { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
