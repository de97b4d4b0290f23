namespace DesktopOperator.Gateway.Health;

internal sealed partial class HostHealthMonitor
{
    private async Task RunProbeLoopAsync(HostEntry entry, CancellationToken stopping)
    {
        var target = entry.Target;
        var settings = target.Settings;
        try
        {
            var probe = _probeFactory(settings);
            var spread = settings.Interval * Math.Clamp(_nextJitter(), 0, 1);
            if (spread > TimeSpan.Zero)
            {
                await Task.Delay(spread, _timeProvider, stopping);
            }

            while (true)
            {
                var started = _timeProvider.GetTimestamp();
                ProbeResult result;
                try
                {
                    result = await HealthProbeRunner.RunAsync(probe, target.Address, target.Port, settings.Timeout, _timeProvider, stopping);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    // Probes turn every peer behaviour into a result; anything else is our fault, and counts as a failure.
                    Log.ProbeFailed(_logger, target.Pool, target.Host, probe.Name, ex);
                    result = new ProbeResult(ProbeOutcome.Error, ex.GetType().Name);
                }

                var elapsed = _timeProvider.GetElapsedTime(started);
                Log.ProbeCompleted(_logger, target.Pool, target.Host, probe.Name, result.Outcome, result.Detail, elapsed.TotalMilliseconds);
                if (result.IsVerdict)
                {
                    Apply(entry, result.IsSuccess ? HealthSignal.CheckPassed : HealthSignal.CheckFailed, result.IsSuccess ? null : result.Cause);
                }

                // Recorded once the result is applied, so a reader who sees the sample also sees its effect.
                _metrics.RecordProbe(target.Pool, probe.Name, result, elapsed);

                await Task.Delay(settings.Interval, _timeProvider, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Target removed or monitor disposed: the loop ends here.
        }
        finally
        {
            _running.TryRemove(entry, out _);
        }
    }
}
