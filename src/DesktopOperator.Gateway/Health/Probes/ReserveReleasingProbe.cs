using DesktopOperator.Gateway.Tcp.Accept;

namespace DesktopOperator.Gateway.Health.Probes;

/// <summary>
/// A probe that gives back the <see cref="DescriptorReserve"/> when it could not open its socket
/// (<see cref="ProbeOutcome.NotRun"/>: EMFILE/ENFILE), as a failed accept or host socket does. Checks run every few
/// seconds whatever the traffic: a gateway whose descriptors went to connections that are all established would
/// otherwise sit at its limit with the reserve held, and the runtime dies when it next starts a thread.
/// </summary>
internal sealed class ReserveReleasingProbe(IHealthProbe probe, DescriptorReserve reserve) : IHealthProbe
{
    public string Name => probe.Name;

    /// <summary><paramref name="probe"/> itself when there is no reserve.</summary>
    public static IHealthProbe Wrap(IHealthProbe probe, DescriptorReserve? reserve) =>
        reserve is null ? probe : new ReserveReleasingProbe(probe, reserve);

    public async Task<ProbeResult> ProbeAsync(string address, int port, CancellationToken cancellationToken)
    {
        var result = await probe.ProbeAsync(address, port, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == ProbeOutcome.NotRun)
        {
            reserve.Release();
        }

        return result;
    }
}
