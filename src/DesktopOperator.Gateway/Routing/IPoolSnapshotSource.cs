using DesktopOperator.Gateway.Model;
namespace DesktopOperator.Gateway.Routing;

/// <summary>
/// The current pools, as immutable snapshots. Reads never block and never see a half-applied update: a change swaps
/// the whole set, then raises <see cref="Changed"/>. Thread-safe.
/// </summary>
internal interface IPoolSnapshotSource
{
    GatewayPool? Find(string key);

    IReadOnlyCollection<GatewayPool> Pools { get; }

    /// <summary>Raised after a new set of pools was swapped in.</summary>
    event EventHandler? Changed;
}
