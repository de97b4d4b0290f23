namespace DesktopOperator.Gateway.Health;

internal sealed partial class HostHealthMonitor
{
    /// <summary>One checked host: its policy state (guarded by <see cref="Gate"/>) and its probe loop.</summary>
#pragma warning disable CA1001 // _stop has no timer, link or wait handle, so it holds nothing to release; disposing it would race Retire.
    private sealed class HostEntry(HealthTarget target)
#pragma warning restore CA1001
    {
        private readonly CancellationTokenSource _stop = new();
        private HealthState _state = HealthState.Initial;
        private int _health = (int)HostHealth.Unknown;
        private bool _retired;

        public HealthTarget Target { get; } = target;

        public Lock Gate { get; } = new();

        public CancellationToken Stopping => _stop.Token;

        public Task Loop { get; set; } = Task.CompletedTask;

        /// <summary>Lock-free read of the current health.</summary>
        public HostHealth Health => (HostHealth)Volatile.Read(ref _health);

        /// <summary>Applies a signal unless the host was retired; call under <see cref="Gate"/>.</summary>
        public bool TryApply(HealthSignal signal, out HostHealth previous, out HostHealth current)
        {
            previous = current = _state.Health;
            if (_retired)
            {
                return false;
            }

            var settings = Target.Settings;
            _state = ConsecutiveFailuresHealthPolicy.Next(_state, signal, settings.Rise, settings.Fall);
            current = _state.Health;
            Volatile.Write(ref _health, (int)current);
            return true;
        }

        /// <summary>Stops the loop and ignores later signals; returns the last health.</summary>
        public HostHealth Retire()
        {
            lock (Gate)
            {
                _retired = true;
            }

            _stop.Cancel();
            return Health;
        }
    }
}
