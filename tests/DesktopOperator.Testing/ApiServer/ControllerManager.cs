namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// Stands in for the parts of kube-controller-manager that <see cref="GarbageCollector"/> does not: the disruption
/// controller (after every commit), the node lifecycle controller and the pod garbage collector (also every
/// <see cref="TestApiServerOptions.ControllerPeriod"/> on the server's clock, since they react to time passing).
/// Writes go through the API handlers as manager <c>kube-controller-manager</c>.
/// </summary>
internal sealed partial class ControllerManager : IAsyncDisposable
{
    private const string Manager = "kube-controller-manager";
    private readonly ServerState _state;
    private readonly ObjectHandlers _objects;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, DateTimeOffset> _missingNodes = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public ControllerManager(ServerState state, ObjectHandlers objects)
    {
        _state = state;
        _objects = objects;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    private ObjectStore Store => _state.Store;

    /// <summary>The last error a sweep ran into (null: none); for diagnosis in a debugger.</summary>
    public string? LastError { get; private set; }

    public void Signal()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by a concurrent commit; one sweep covers both.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }

        _stop.Dispose();
        _signal.Dispose();
    }

    /// <summary>One pass of every controller; true when it wrote something.</summary>
    internal bool Sweep()
    {
        lock (Store.Gate)
        {
            var changed = SyncBudgets();
            changed |= SyncNodes();
            changed |= CollectOrphanedPods();
            return changed;
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using var tick = new CancellationTokenSource(_state.Options.ControllerPeriod, _state.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, tick.Token);
            try
            {
                await _signal.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (tick.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                // The period passed without a commit: look at the clock-driven state anyway.
            }

            try
            {
                for (var pass = 0; pass < 10 && Sweep(); pass++)
                {
                    ct.ThrowIfCancellationRequested();
                }
            }
            catch (Exception e) when (e is ApiError or FormatException)
            {
                // An object the controllers cannot handle (a write refused, a malformed budget): kube-controller-manager
                // logs such errors and retries at its next sync; so does this loop.
                LastError = e.Message;
            }
        }
    }

    private WriteContext Context(string plural, string? ns, string name, string? subresource) =>
        new(_state.Registry.Find(plural == "poddisruptionbudgets" ? "policy" : string.Empty, "v1", plural)!, ns, name, subresource, Manager, _state.NowText(), false);
}
